using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using IdentityGuard.Demo;
using McpCrmServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Xunit;
using Xunit.Abstractions;

namespace IdentityGuard.Mcp.Tests;

/// <summary>Attacks on the MCP server's token handling: wrong audience, token passthrough, the metadata's claims.</summary>
public sealed class SecurityTests(ITestOutputHelper output)
{
    private const string ServiceClientId = "crm-batch";
    private const string ServiceClientSecret = "crm-batch-secret";

    private static readonly Dictionary<string, object?> s_none = new();

    [Fact]
    public async Task The_metadata_names_the_trusted_issuer_the_resource_and_every_scope()
    {
        await using var landscape = await McpLandscape.StartAsync(log: new TestOutputLoggerProvider(output));
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(landscape.Server.Settings.BaseAddress, ".well-known/oauth-protected-resource/mcp"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.Equal(landscape.Resource.AbsoluteUri, root.GetProperty("resource").GetString());
        Assert.Equal([landscape.Landscape.IdentityProvider.Issuer.AbsoluteUri], root.GetProperty("authorization_servers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([McpScopes.Use, McpScopes.Write], root.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["header"], root.GetProperty("bearer_methods_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused_with_a_challenge_pointing_at_the_metadata()
    {
        await using var landscape = await McpLandscape.StartAsync(configureIdentityProvider: AddServiceClient, log: new TestOutputLoggerProvider(output));
        using var http = new HttpClient();

        // Same issuer, same keys, valid signature: only the audience differs (the CRM API's, not this server's).
        var crmToken = await ClientCredentialsTokenAsync(http, landscape, DemoBusinessApis.CrmNotesReadScope);
        using var refused = await InitializeAsync(http, landscape, crmToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var challenge = refused.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        Assert.Contains("resource_metadata=\"", challenge, StringComparison.Ordinal);

        // Control: a token for this server's audience from the same client is accepted.
        var mcpToken = await ClientCredentialsTokenAsync(http, landscape, McpScopes.Use);
        using var accepted = await InitializeAsync(http, landscape, mcpToken);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task A_tool_cannot_read_the_callers_token_from_the_request_headers()
    {
        await using var landscape = await McpLandscape.StartAsync(configureServer: AddAttackTools, log: new TestOutputLoggerProvider(output));
        await using var maria = await landscape.ConnectAsync("maria");

        var result = await maria.Client.CallToolAsync("forward_caller_header", s_none);

        Assert.Equal("header:none status:401", Text(result));
        Assert.All(landscape.Landscape.Apis.Crm.Calls, call => Assert.Null(call.Subject));
    }

    [Fact]
    public async Task The_callers_token_is_never_sent_downstream_even_when_a_tool_takes_it_from_the_verified_caller()
    {
        await using var landscape = await McpLandscape.StartAsync(configureServer: AddAttackTools, log: new TestOutputLoggerProvider(output));
        await using var maria = await landscape.ConnectAsync("maria");

        var result = await maria.Client.CallToolAsync("forward_verified_token", s_none);

        Assert.Equal("refused", Text(result));
        Assert.Equal(0, landscape.Landscape.Apis.Crm.RequestCount);
    }

    [Fact]
    public async Task A_token_in_a_tool_result_never_reaches_the_client()
    {
        await using var landscape = await McpLandscape.StartAsync(configureServer: AddAttackTools, log: new TestOutputLoggerProvider(output));
        await using var maria = await landscape.ConnectAsync("maria");

        var result = await maria.Client.CallToolAsync("echo_caller_token", s_none);

        // Before: the caller's JWT reached the client (and the model behind it) as written.
        var text = Text(result);
        Assert.StartsWith("debug: token=", text, StringComparison.Ordinal);
        Assert.Contains(IdentityGuard.Scrubbing.CredentialScrubber.Marker, text, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_does_not_start_when_its_tokens_would_not_be_bound_to_it()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => McpLandscape.StartAsync(configureServer: (builder, _) =>
            builder.Configuration["IdentityGuard:Authorizer:Audiences:0"] = "https://some-other-api.example/"));

        Assert.Contains("Audiences do not include the MCP resource", exception.ToString(), StringComparison.Ordinal);
    }

    private static void AddServiceClient(DemoIdentityProviderOptions options)
    {
        var client = new DemoClient(ServiceClientId, ServiceClientSecret);
        client.AllowedScopes.Add(DemoBusinessApis.CrmNotesReadScope);
        client.AllowedScopes.Add(McpScopes.Use);
        options.Clients.Add(client);
    }

    private static void AddAttackTools(WebApplicationBuilder builder, McpCrmServerSettings settings)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddHttpClient(AttackTools.CrmClient, http => http.BaseAddress = settings.CrmApi);
        builder.Services.AddMcpServer().WithTools<AttackTools>();
    }

    private static async Task<string> ClientCredentialsTokenAsync(HttpClient http, McpLandscape landscape, string scope)
    {
        using var response = await http.PostAsync(landscape.Landscape.IdentityProvider.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ServiceClientId,
            ["client_secret"] = ServiceClientSecret,
            ["scope"] = scope,
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("access_token").GetString()!;
    }

    private static async Task<HttpResponseMessage> InitializeAsync(HttpClient http, McpLandscape landscape, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, landscape.Resource)
        {
            Content = new StringContent(
                """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"attacker","version":"1"}}}""",
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return await http.SendAsync(request);
    }

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
}
