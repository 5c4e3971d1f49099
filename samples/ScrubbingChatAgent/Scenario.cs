using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Demo;
using IdentityGuard.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace ScrubbingChatAgent;

/// <summary>What one run showed.</summary>
/// <param name="ModelRequests">Every request the model received, as JSON.</param>
/// <param name="Answer">The model's final answer.</param>
/// <param name="AuditTrail">The audit events of the run.</param>
/// <param name="IssuedToken">The token the identity provider issued to the agent (redacted when printed).</param>
public sealed record ScenarioResult(IReadOnlyList<string> ModelRequests, string Answer, IReadOnlyList<AuditEvent> AuditTrail, AccessToken IssuedToken);

/// <summary>
/// A chat agent with one tool that puts its access token into its result, run through a Microsoft.Extensions.AI
/// pipeline with IdentityGuard's scrubbing. Everything runs on loopback in this process.
/// </summary>
public static class Scenario
{
    /// <summary>Runs the agent once.</summary>
    public static async Task<ScenarioResult> RunAsync(ScenarioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var output = options.Output;

        // The demo identity provider and sales API; the client secret is made up per run and handed over through
        // configuration, never source.
        var clientSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var idpOptions = DemoIdentityProviderOptions.CreateDefault();
        var reportJob = new DemoClient("report-job", clientSecret);
        reportJob.AllowedScopes.Add(DemoApi.SalesReadScope);
        idpOptions.Clients.Add(reportJob);
        await using var identityProvider = await DemoIdentityProvider.StartAsync(idpOptions);
        await using var api = await DemoApi.StartAsync(new DemoApiOptions(identityProvider.Issuer));

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["IdentityGuard:Providers:Reports:TokenEndpoint"] = identityProvider.TokenEndpoint.ToString(),
                ["Reports:ClientSecret"] = clientSecret,
            })
            .Build();

        var trail = new InMemoryAuditTrail();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IAuditSink>(trail);
        services.AddIdentityGuard(configuration);
        services.AddRefitGeneratedClient<ISalesApi>()
            .ConfigureHttpClient(client => client.BaseAddress = api.BaseAddress)
            .WithReportsToken(ReportsScopes.SalesRead);
        await using var provider = services.BuildServiceProvider();

        var tool = new SalesTool(provider.GetRequiredService<ISalesApi>(), provider.GetRequiredService<IReportsTokens>(), api.BaseAddress).AsFunction();
        var model = new ScriptedModel(SalesTool.Name);
        using var chat = BuildPipeline(model, options.Scrub, provider);

        var response = await chat.GetResponseAsync("How did sales go this quarter?", new ChatOptions { Tools = [tool] });

        var issued = await provider.GetRequiredService<IReportsTokens>().GetAsync(ReportsScopes.SalesRead);
        output.WriteLine($"Scrubbing: {(options.Scrub ? "on" : "off")}");
        output.WriteLine("The model received this tool result:");

        // Even the demonstration of a leak does not print the token: it is named, not shown.
        output.WriteLine("  " + ToolResultOf(model.Requests[^1]).Replace(issued.RevealValue(), "<the agent's access token>", StringComparison.Ordinal));
        output.WriteLine($"The model answered: {response.Text}");
        foreach (var redaction in trail.Events.Where(e => e.Kind == AuditEventKind.CredentialRedacted))
        {
            output.WriteLine($"Audit: {redaction}");
        }

        output.WriteLine($"Token held by the agent: {issued}");
        return new ScenarioResult(model.Requests, response.Text, trail.Events, issued);
    }

    /// <summary>The pipeline: tools are invoked by Microsoft.Extensions.AI, and everything sent to the model is scrubbed.</summary>
    private static IChatClient BuildPipeline(IChatClient model, bool scrub, IServiceProvider services)
    {
        if (!scrub)
        {
            return new ChatClientBuilder(model).UseFunctionInvocation().Build(services);
        }

        // docs/scrubbing.md: wiring
        return new ChatClientBuilder(model)
            .UseFunctionInvocation()
            .UseIdentityGuardScrubbing()
            .Build(services);
    }

    private static string ToolResultOf(string request)
    {
        var start = request.IndexOf("\"result\":", StringComparison.Ordinal);
        return start < 0 ? request : request[start..];
    }
}
