using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using IdentityGuard.Demo;
using McpCrmServer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace IdentityGuard.Mcp.Tests;

/// <summary>
/// The outgoing check finds the current caller's token wherever a tool puts it: the <c>Authorization</c> header, any
/// other header, the URL. The caller's token here is issued for a second audience the server also accepts, so the
/// check that refuses bearer tokens issued to this server (by audience) cannot be what stops it.
/// </summary>
public sealed class EgressTests(ITestOutputHelper output)
{
    private const string ServiceClientId = "crm-sync";
    private const string ServiceClientSecret = "crm-sync-secret";

    /// <summary>An older name of the MCP server the identity provider still issues its tokens for.</summary>
    private const string LegacyAudience = "https://crm-assistant.contoso.example/";

    [Theory]
    [InlineData(TokenPlacement.AuthorizationHeader)]
    [InlineData(TokenPlacement.CustomHeader)]
    [InlineData(TokenPlacement.Query)]
    public async Task The_callers_token_is_refused_on_the_way_out_wherever_a_tool_puts_it(TokenPlacement placement)
    {
        await using var landscape = await McpLandscape.StartAsync(
            configureIdentityProvider: IssueMcpTokensForTheLegacyAudience,
            configureServer: (builder, settings) =>
            {
                builder.Configuration["IdentityGuard:Authorizer:Audiences:1"] = LegacyAudience;
                builder.Services.AddHttpContextAccessor();
                builder.Services.AddHttpClient(EgressAttackTools.CrmClient, http => http.BaseAddress = settings.CrmApi);
                builder.Services.AddMcpServer().WithTools<EgressAttackTools>();
            },
            log: new TestOutputLoggerProvider(output));
        var token = await ClientCredentialsTokenAsync(landscape);
        Assert.DoesNotContain(landscape.Resource.AbsoluteUri, new JsonWebToken(token).Audiences);

        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = landscape.Resource,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        }));
        var result = await client.CallToolAsync(EgressAttackTools.Name, new Dictionary<string, object?> { ["where"] = placement.ToString() });

        Assert.Equal("refused", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Equal(0, landscape.Landscape.Apis.Crm.RequestCount);
    }

    private static void IssueMcpTokensForTheLegacyAudience(DemoIdentityProviderOptions options)
    {
        var scope = options.Scopes.Single(scope => scope.Name == McpScopes.Use);
        scope.Resources.Clear();
        scope.Resources.Add(LegacyAudience);

        var client = new DemoClient(ServiceClientId, ServiceClientSecret);
        client.AllowedScopes.Add(McpScopes.Use);
        options.Clients.Add(client);
    }

    private static async Task<string> ClientCredentialsTokenAsync(McpLandscape landscape)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(landscape.Landscape.IdentityProvider.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ServiceClientId,
            ["client_secret"] = ServiceClientSecret,
            ["scope"] = McpScopes.Use,
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("access_token").GetString()!;
    }
}
