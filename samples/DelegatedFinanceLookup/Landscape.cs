using System;
using System.Security.Cryptography;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Authorization;
using IdentityGuard.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DelegatedFinanceLookup;

/// <summary>
/// Everything around the agents, on loopback: the identity provider (OpenIddict, with token exchange) and the finance
/// API, which verifies callers with the IdentityGuard authorizer and answers with the actor chain it verified.
/// </summary>
internal sealed class Landscape : IAsyncDisposable
{
    private readonly WebApplication _financeApi;

    private Landscape(DemoIdentityProvider identityProvider, WebApplication financeApi, Uri financeApiAddress, string briefAgentSecret, string financeAgentSecret)
    {
        IdentityProvider = identityProvider;
        _financeApi = financeApi;
        FinanceApiAddress = financeApiAddress;
        BriefAgentSecret = briefAgentSecret;
        FinanceAgentSecret = financeAgentSecret;
    }

    public DemoIdentityProvider IdentityProvider { get; }

    public Uri FinanceApiAddress { get; }

    /// <summary>Made up per run and registered with the identity provider; handed to each agent through configuration.</summary>
    public string BriefAgentSecret { get; }

    public string FinanceAgentSecret { get; }

    public static Uri PortalCallback { get; } = new("http://127.0.0.1/portal/callback");

    public static async Task<Landscape> StartAsync(Uri briefAgentCallback)
    {
        var briefAgentSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var financeAgentSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var options = new DemoIdentityProviderOptions();

        // Each scope names the one service its tokens are for.
        options.Scopes.Add(new DemoScope(Names.AgentScope, Names.BriefAgent));
        options.Scopes.Add(new DemoScope(Names.LookupScope, Names.FinanceAgent));
        options.Scopes.Add(new DemoScope(Names.SpendScope, Names.FinanceApi));

        var portal = new DemoClient(Names.Portal, clientSecret: null);
        portal.AllowedGrantTypes.Clear();
        portal.AllowedGrantTypes.Add(DemoGrantTypes.AuthorizationCode);
        portal.AllowedScopes.Add(Names.AgentScope);
        portal.RedirectUris.Add(PortalCallback);
        options.Clients.Add(portal);

        // The client-brief agent exchanges its callers' tokens for the finance agent, and holds the user's own grant
        // (with consent) for the weekly report.
        var briefAgent = new DemoClient(Names.BriefAgent, briefAgentSecret);
        briefAgent.AllowedGrantTypes.Clear();
        briefAgent.AllowedGrantTypes.Add(DemoGrantTypes.TokenExchange);
        briefAgent.AllowedGrantTypes.Add(DemoGrantTypes.AuthorizationCode);
        briefAgent.AllowedGrantTypes.Add(DemoGrantTypes.RefreshToken);
        briefAgent.AllowedScopes.Add(Names.LookupScope);
        briefAgent.AllowedScopes.Add(Names.SpendScope);
        briefAgent.RedirectUris.Add(briefAgentCallback);
        options.Clients.Add(briefAgent);

        // The finance agent exchanges what it receives for the finance API.
        var financeAgent = new DemoClient(Names.FinanceAgent, financeAgentSecret);
        financeAgent.AllowedGrantTypes.Clear();
        financeAgent.AllowedGrantTypes.Add(DemoGrantTypes.TokenExchange);
        financeAgent.AllowedScopes.Add(Names.SpendScope);
        options.Clients.Add(financeAgent);

        options.Users.Add(new DemoUser(Names.User, "Maria Lopez (Sales)"));

        var identityProvider = await DemoIdentityProvider.StartAsync(options);
        try
        {
            var (financeApi, address) = await StartFinanceApiAsync(identityProvider);
            return new Landscape(identityProvider, financeApi, address, briefAgentSecret, financeAgentSecret);
        }
        catch
        {
            await identityProvider.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _financeApi.DisposeAsync();
        await IdentityProvider.DisposeAsync();
    }

    private static async Task<(WebApplication App, Uri Address)> StartFinanceApiAsync(DemoIdentityProvider identityProvider)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication().AddIdentityGuardJwt(options =>
        {
            options.DiscoveryUrl = identityProvider.DiscoveryUrl;
            options.Audiences.Add(Names.FinanceApi);
            options.RequiredScopes.Add(Names.SpendScope);
            options.Workload = Names.FinanceApi;

            // Users may call directly (the weekly report acts with the user's own grant); agents only these two, at
            // most two deep.
            options.ActorRequirement = ActorRequirement.Allowed;
            options.AllowedActors.Add(Names.FinanceAgent);
            options.AllowedActors.Add(Names.BriefAgent);
            options.MaxActorChainDepth = 2;
        });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/spend/{client}", (string client, HttpContext context) =>
        {
            var caller = context.GetVerifiedCaller()!;
            var spend = 1000m + (client.Length * 137.5m);
            return Results.Json(new SpendAnswer(client, spend, caller.Subject, [.. caller.Actors]));
        }).RequireAuthorization();

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return (app, new Uri(System.Linq.Enumerable.First(address).TrimEnd('/') + "/"));
    }
}
