using System;
using System.Threading.Tasks;
using IdentityGuard.Demo;

namespace McpCrmServer;

/// <summary>
/// Everything around the MCP server, on loopback: the company's identity provider (OpenIddict) and the CRM API that
/// trusts it. The identity provider knows the MCP server twice: as a resource (tokens for it carry its URL as their
/// audience) and as a client (it asks users for consent to the CRM).
/// </summary>
internal sealed class McpDemoLandscape : IAsyncDisposable
{
    /// <summary>The MCP server's client id at the identity provider (consent to the CRM).</summary>
    public const string ServerClientId = "mcp-crm-server";

    /// <summary>The MCP client application's id (a public client: authorization code + PKCE).</summary>
    public const string McpClientId = "crm-desktop-assistant";

    private McpDemoLandscape(DemoIdentityProvider identityProvider, DemoBusinessApis apis, string serverClientSecret)
    {
        IdentityProvider = identityProvider;
        Apis = apis;
        ServerClientSecret = serverClientSecret;
    }

    public DemoIdentityProvider IdentityProvider { get; }

    public DemoBusinessApis Apis { get; }

    /// <summary>Made up per run and registered with the identity provider; handed to the server via configuration.</summary>
    public string ServerClientSecret { get; }

    /// <param name="resource">The MCP endpoint's URL (the audience of tokens for it).</param>
    /// <param name="serverCallback">The MCP server's consent callback.</param>
    /// <param name="clientRedirect">The MCP client's redirect URI.</param>
    /// <param name="configure">Changes the identity provider's options before it starts (tests add clients).</param>
    public static async Task<McpDemoLandscape> StartAsync(Uri resource, Uri serverCallback, Uri clientRedirect, Action<DemoIdentityProviderOptions>? configure = null)
    {
        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var idp = new DemoIdentityProviderOptions();
        DemoBusinessApis.AddScopesTo(idp);
        idp.Scopes.Add(new DemoScope(McpScopes.Use, resource.AbsoluteUri));
        idp.Scopes.Add(new DemoScope(McpScopes.Write, resource.AbsoluteUri));

        // The MCP server: a confidential client that acts for users at the CRM after their consent, and reads the
        // finance API as itself (client credentials).
        var server = new DemoClient(ServerClientId, secret);
        server.AllowedGrantTypes.Clear();
        server.AllowedGrantTypes.Add(DemoGrantTypes.AuthorizationCode);
        server.AllowedGrantTypes.Add(DemoGrantTypes.RefreshToken);
        server.AllowedGrantTypes.Add(DemoGrantTypes.ClientCredentials);
        server.AllowedScopes.Add(DemoBusinessApis.CrmNotesReadScope);
        server.AllowedScopes.Add(DemoBusinessApis.FinanceSpendReadScope);
        server.RedirectUris.Add(serverCallback);
        idp.Clients.Add(server);

        // The MCP client the user runs; it gets tokens for the MCP server only (RFC 8707 resource = the server).
        var client = new DemoClient(McpClientId, clientSecret: null);
        client.AllowedGrantTypes.Clear();
        client.AllowedGrantTypes.Add(DemoGrantTypes.AuthorizationCode);
        client.AllowedGrantTypes.Add(DemoGrantTypes.RefreshToken);
        client.AllowedScopes.Add(McpScopes.Use);
        client.AllowedScopes.Add(McpScopes.Write);
        client.AllowedResources.Add(resource.AbsoluteUri);
        client.RedirectUris.Add(clientRedirect);
        idp.Clients.Add(client);

        idp.Users.Add(new DemoUser("maria", "Maria Lopez (Sales)"));
        idp.Users.Add(new DemoUser("sam", "Sam Okafor (Sales)"));

        configure?.Invoke(idp);
        var identityProvider = await DemoIdentityProvider.StartAsync(idp);
        try
        {
            var apis = await DemoBusinessApis.StartAsync(new DemoBusinessApisOptions(identityProvider.Issuer));
            return new McpDemoLandscape(identityProvider, apis, secret);
        }
        catch
        {
            await identityProvider.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Apis.DisposeAsync();
        await IdentityProvider.DisposeAsync();
    }
}
