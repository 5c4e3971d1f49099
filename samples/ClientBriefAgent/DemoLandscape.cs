using System;
using System.IO;
using System.Threading.Tasks;
using IdentityGuard.Demo;

namespace ClientBriefAgent;

/// <summary>
/// Everything around the agent, on loopback: the company's identity provider (persisted, so grants outlive the
/// process), and the CRM, finance and documents APIs that trust it.
/// </summary>
internal sealed class DemoLandscape : IAsyncDisposable
{
    public const string AgentClientId = "client-brief-agent";
    public const string PortalClientId = "brief-portal";
    public const string AgentScope = "agent.briefs";

    private DemoLandscape(DemoIdentityProvider identityProvider, DemoBusinessApis apis, string agentClientSecret)
    {
        IdentityProvider = identityProvider;
        Apis = apis;
        AgentClientSecret = agentClientSecret;
    }

    public DemoIdentityProvider IdentityProvider { get; }

    public DemoBusinessApis Apis { get; }

    /// <summary>Made up per run and registered with the identity provider; handed to the agent via configuration.</summary>
    public string AgentClientSecret { get; }

    public static async Task<DemoLandscape> StartAsync(ScenarioOptions options, Uri agentCallback, Uri portalCallback)
    {
        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var idp = new DemoIdentityProviderOptions
        {
            Port = options.IdentityProviderPort,
            DataDirectory = Path.Combine(options.DataDirectory, "identity-provider"),
            AccessTokenLifetime = options.AccessTokenLifetime,
            LoggerProvider = options.LoggerProvider,
        };
        DemoBusinessApis.AddScopesTo(idp);
        idp.Scopes.Add(new DemoScope(AgentScope, AgentClientId));

        // The agent: a confidential client that acts for users after their consent.
        var agent = new DemoClient(AgentClientId, secret);
        agent.AllowedGrantTypes.Clear();
        agent.AllowedGrantTypes.Add(DemoGrantTypes.AuthorizationCode);
        agent.AllowedGrantTypes.Add(DemoGrantTypes.RefreshToken);
        foreach (var scope in DemoBusinessApis.AllScopes)
        {
            agent.AllowedScopes.Add(scope);
        }

        agent.RedirectUris.Add(agentCallback);
        idp.Clients.Add(agent);

        // The sales portal the user signs in to; it calls the agent with her token.
        var portal = new DemoClient(PortalClientId, clientSecret: null);
        portal.AllowedGrantTypes.Clear();
        portal.AllowedGrantTypes.Add(DemoGrantTypes.AuthorizationCode);
        portal.AllowedScopes.Add(AgentScope);
        portal.RedirectUris.Add(portalCallback);
        idp.Clients.Add(portal);

        idp.Users.Add(new DemoUser("maria", "Maria Lopez (Sales)"));
        idp.Users.Add(new DemoUser("sam", "Sam Okafor (Sales)"));

        var identityProvider = await DemoIdentityProvider.StartAsync(idp);
        try
        {
            var apis = await DemoBusinessApis.StartAsync(new DemoBusinessApisOptions(identityProvider.Issuer)
            {
                CrmPort = options.CrmPort,
                FinancePort = options.FinancePort,
                DocumentsPort = options.DocumentsPort,
                LoggerProvider = options.LoggerProvider,
            });
            return new DemoLandscape(identityProvider, apis, secret);
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
