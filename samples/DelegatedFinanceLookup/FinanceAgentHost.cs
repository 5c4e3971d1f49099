using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Audit;
using IdentityGuard.Authorization;
using IdentityGuard.Manifest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DelegatedFinanceLookup;

/// <summary>
/// The finance agent, run as its own process (<c>finance-agent</c> mode): it accepts only tokens the client-brief agent
/// obtained for a user by token exchange, verifies them with the IdentityGuard authorizer, and exchanges them again
/// for the finance API. Its settings come from environment variables set by the process that started it; it prints
/// <c>READY &lt;address&gt;</c> once listening, its audit events as <c>audit …</c> lines, and stops when its standard
/// input closes.
/// </summary>
internal static class FinanceAgentHost
{
    public const string ReadyPrefix = "READY ";

    // A separate agent would have its own project and identityguard.json; this sample keeps one executable, so the
    // finance agent's manifest is written with the runtime's types instead of generated.
    private static CredentialManifest Manifest(string discoveryUrl) => new(Names.FinanceAgent,
    [
        new ProviderDescriptor("Finance", CredentialKind.OAuth2)
        {
            Flow = OAuthFlow.OnBehalfOf,
            DiscoveryUrl = discoveryUrl,
            ClientId = ValueReference.Literal(Names.FinanceAgent),
            ClientSecret = ValueReference.FromConfiguration("FinanceAgent:ClientSecret"),
            Scopes = [new ScopeDescriptor("SpendRead", Names.SpendScope)],
        },
    ]);

    public static async Task<int> RunAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var configuration = builder.Configuration;
        var discoveryUrl = configuration["FinanceAgent:DiscoveryUrl"] ?? throw new InvalidOperationException("FinanceAgent:DiscoveryUrl is not set.");
        var financeApi = new Uri(configuration["FinanceAgent:FinanceApi"] ?? throw new InvalidOperationException("FinanceAgent:FinanceApi is not set."));

        builder.Services.AddSingleton<IAuditSink, StandardOutputAuditSink>();
        builder.Services.AddIdentityGuardRuntime(configuration, Manifest(discoveryUrl)).AddVault();
        builder.Services.AddAuthentication().AddIdentityGuardJwt(options =>
        {
            options.DiscoveryUrl = new Uri(discoveryUrl);
            options.Audiences.Add(Names.FinanceAgent);
            options.RequiredScopes.Add(Names.LookupScope);
            options.Workload = Names.FinanceAgent;

            // Only the client-brief agent, acting for a user, may ask.
            options.ActorRequirement = ActorRequirement.Required;
            options.AllowedActors.Add(Names.BriefAgent);
            options.MaxActorChainDepth = 1;
        });
        builder.Services.AddAuthorization();
        builder.Services.AddHttpClient("finance-api", http => http.BaseAddress = financeApi).AddIdentityGuardAccessToken("Finance", 1);

        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseIdentityGuardWorkloadContext();
        app.MapGet("/lookup/{client}", async (string client, IHttpClientFactory clients, HttpContext context) =>
        {
            // No token and no user in this code: the workload context carries the verified caller to the exchange.
            using var response = await clients.CreateClient("finance-api").GetAsync(new Uri("spend/" + Uri.EscapeDataString(client), UriKind.Relative), context.RequestAborted);
            return Results.Content(await response.Content.ReadAsStringAsync(context.RequestAborted), "application/json", statusCode: (int)response.StatusCode);
        }).RequireAuthorization();

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.Out.WriteLine(ReadyPrefix + address.TrimEnd('/') + "/");
        Console.Out.Flush();

        // The parent closes our standard input to stop us.
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }

    /// <summary>Prints each audit event as one line for the parent process to show; an event never holds a token.</summary>
    private sealed class StandardOutputAuditSink : IAuditSink
    {
        private static readonly object Gate = new();

        public void Write(AuditEvent auditEvent)
        {
            lock (Gate)
            {
                Console.Out.WriteLine("audit " + auditEvent);
                Console.Out.Flush();
            }
        }
    }
}
