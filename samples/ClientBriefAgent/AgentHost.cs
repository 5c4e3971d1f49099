using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Refit;

namespace ClientBriefAgent;

/// <summary>
/// The client-brief agent as a web service: it accepts a user's JWT, acts for that user with her consent, and
/// answers <c>403 consent_required</c> with the authorization URL when she has not approved yet.
/// </summary>
internal sealed class AgentHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AgentHost(WebApplication app, InMemoryAuditTrail audit)
    {
        _app = app;
        Audit = audit;
    }

    public InMemoryAuditTrail Audit { get; }

    public static async Task<AgentHost> StartAsync(ScenarioOptions options, DemoLandscape landscape, Uri callback)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.AgentPort}");
        builder.Logging.ClearProviders();
        if (options.LoggerProvider is not null)
        {
            builder.Logging.AddProvider(options.LoggerProvider).SetMinimumLevel(LogLevel.Trace);
        }

        // Production would read these from appsettings and a secret store; the manifest stays the same.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IdentityGuard:Providers:Corp:DiscoveryUrl"] = landscape.IdentityProvider.DiscoveryUrl.ToString(),
            ["Corp:ClientSecret"] = landscape.AgentClientSecret,
            ["IdentityGuard:Consent:RedirectUri"] = callback.ToString(),
            ["IdentityGuard:Consent:ResponseMode"] = options.ResponseMode,
            ["IdentityGuard:Vault:DatabasePath"] = Path.Combine(options.DataDirectory, "agent", "vault.db"),
        });

        var audit = new InMemoryAuditTrail();
        var services = builder.Services;
        services.AddSingleton<IAuditSink>(audit);
        services.AddIdentityGuard(builder.Configuration)
            .AddVault()
            .AddUserFederation();
        services.AddAuthentication(IdentityGuardJwtDefaults.AuthenticationScheme).AddIdentityGuardJwt(authorizer =>
        {
            authorizer.DiscoveryUrl = landscape.IdentityProvider.DiscoveryUrl;
            authorizer.Audiences.Add(DemoLandscape.AgentClientId);
            authorizer.RequiredScopes.Add(DemoLandscape.AgentScope);
            authorizer.AllowedClientIds.Add(DemoLandscape.PortalClientId);
        });
        services.AddAuthorization();

        // Each API gets a Refit client carrying only the scope it needs, for the user of the current request.
        services.AddRefitGeneratedClient<ICrmApi>()
            .ConfigureHttpClient(http => http.BaseAddress = landscape.Apis.Crm.BaseAddress)
            .WithCorpToken(CorpScopes.CrmNotesRead);
        services.AddRefitGeneratedClient<IFinanceApi>()
            .ConfigureHttpClient(http => http.BaseAddress = landscape.Apis.Finance.BaseAddress)
            .WithCorpToken(CorpScopes.FinanceSpendRead);
        services.AddRefitGeneratedClient<IDocumentsApi>()
            .ConfigureHttpClient(http => http.BaseAddress = landscape.Apis.Documents.BaseAddress)
            .WithCorpToken(CorpScopes.BriefsWrite);
        services.AddTransient<BriefWriter>();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseIdentityGuardWorkloadContext();
        // Until the user approves, any consent requirement (from the accessor, or wrapped by Refit) becomes
        // 403 {"error":"consent_required","consentUrl":…} on her own request.
        app.MapPost("/briefs", WriteBriefAsync).RequireAuthorization().WithIdentityGuardConsent();
        app.MapIdentityGuardConsentCallback(callback.AbsolutePath);
        await app.StartAsync();
        return new AgentHost(app, audit);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<IResult> WriteBriefAsync(BriefRequest request, BriefWriter writer, CancellationToken cancellationToken)
    {
        var brief = await writer.WriteAsync(request.ClientId, cancellationToken);
        return Results.Created(new Uri($"/briefs/{brief.Id}", UriKind.Relative), brief);
    }
}
