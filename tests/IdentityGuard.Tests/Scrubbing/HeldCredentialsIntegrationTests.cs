using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using IdentityGuard.Demo;
using IdentityGuard.Federation;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using IdentityGuard.Scrubbing;
using IdentityGuard.Tests.Federation;
using IdentityGuard.Tests.Integration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IdentityGuard.Tests.Scrubbing;

/// <summary>
/// The runtime remembers what it hands out, wherever it hands it out: a token fetched by an HTTP handler, a key read
/// by the API-key source and a user's token served from the vault are all found by the scrubber afterwards.
/// </summary>
[Collection(LoopbackServerGroup.Name)]
public sealed class HeldCredentialsIntegrationTests(LoopbackAuthorizationServer server)
{
    [Fact]
    public async Task A_client_credentials_token_that_only_the_http_handler_used_is_scrubbed()
    {
        using var agent = new AgentHost(server, AgentHost.Reports(tokenEndpoint: server.IdentityProvider.TokenEndpoint.ToString()), []);
        using var response = await agent.Api.GetAsync(new Uri("reports/sales", UriKind.Relative));
        response.EnsureSuccessStatusCode();

        // The handler fetched the token; the accessor returns the same cached one, which the scrubber already knows.
        var token = (await agent.Registry.GetOAuth2TokenSource("Reports").GetAsync(1)).RevealValue();
        var scrubber = agent.Services.GetRequiredService<CredentialScrubber>();

        var scrubbed = scrubber.Scrub("request dump: " + token);

        Assert.DoesNotContain(token, scrubbed, StringComparison.Ordinal);
        Assert.Equal("request dump: " + CredentialScrubber.Marker, scrubbed);
        Assert.Equal(1, agent.Services.GetRequiredService<HeldCredentials>().Count);
    }

    [Fact]
    public async Task An_api_key_read_from_configuration_is_scrubbed()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Weather:ApiKey"] = DemoApiOptions.DefaultApiKey }).Build();
        var provider = new ProviderDescriptor("Weather", CredentialKind.ApiKey)
        {
            ApiKey = ValueReference.FromConfiguration("Weather:ApiKey"),
            ApiKeyPlacement = ApiKeyPlacement.Header,
            ApiKeyParameter = DemoApi.ApiKeyHeaderName,
        };
        var services = new ServiceCollection();
        services.AddIdentityGuardRuntime(configuration, new CredentialManifest("weather-agent", [provider]));
        services.AddHttpClient("weather", client => client.BaseAddress = server.Api.BaseAddress).AddIdentityGuardApiKey("Weather");
        await using var container = services.BuildServiceProvider();
        using var response = await container.GetRequiredService<IHttpClientFactory>().CreateClient("weather").GetAsync(new Uri("weather", UriKind.Relative));
        response.EnsureSuccessStatusCode();

        // No header name next to it: only the held value can give it away.
        var scrubbed = container.GetRequiredService<CredentialScrubber>().Scrub($"the weather service accepted {DemoApiOptions.DefaultApiKey} today");

        Assert.Equal($"the weather service accepted {CredentialScrubber.Marker} today", scrubbed);
    }

    [Fact]
    public async Task A_users_token_served_from_the_vault_is_scrubbed_and_the_event_names_the_provider()
    {
        await using var env = await FederationEnvironment.StartAsync();
        var alice = env.SignIn("alice");
        string token;
        using (WorkloadContext.Use(alice))
        {
            token = (await env.Services.GetRequiredService<CredentialProviderRegistry>().GetOAuth2TokenSource(FederationEnvironment.Provider).GetAsync(1)).RevealValue();
        }

        var scrubbed = env.Services.GetRequiredService<CredentialScrubber>().Scrub("{\"debug\":\"" + token + "\"}", "tool result");

        Assert.Equal("{\"debug\":\"" + CredentialScrubber.Marker + "\"}", scrubbed);
        var audit = Assert.Single(env.Audit.Events, e => e.Kind == Audit.AuditEventKind.CredentialRedacted);
        Assert.Equal(FederationEnvironment.Provider, audit.Provider);
        Assert.DoesNotContain(token, audit.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workload_access_token_the_runtime_issued_is_scrubbed_from_a_tool_result()
    {
        // Issued in-process for the signed-in user; a tool that echoes its context must not hand it to the model. It is
        // recognised by its format, not held (one is issued per request).
        await using var env = await FederationEnvironment.StartAsync();
        var alice = env.SignIn("alice").RevealValue();

        var scrubbed = env.Services.GetRequiredService<CredentialScrubber>().Scrub("{\"context\":{\"wat\":\"" + alice + "\",\"user\":\"alice\"}}", "tool result whoami");

        Assert.DoesNotContain(alice, scrubbed, StringComparison.Ordinal);
        Assert.Equal("{\"context\":{\"wat\":\"" + CredentialScrubber.Marker + "\",\"user\":\"alice\"}}", scrubbed);
        var audit = Assert.Single(env.Audit.Events, e => e.Kind == Audit.AuditEventKind.CredentialRedacted);
        Assert.Contains("known format workload-access-token", audit.Reason, StringComparison.Ordinal);
    }
}
