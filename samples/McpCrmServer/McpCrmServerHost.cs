using System;
using System.Collections.Generic;
using System.Net;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpCrmServer;

/// <summary>Where the server listens and what it trusts; production reads the same keys from appsettings.</summary>
internal sealed record McpCrmServerSettings(int Port, Uri DiscoveryUrl, Uri CrmApi, Uri FinanceApi, string ClientSecret, string DataDirectory)
{
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>The MCP endpoint: the resource tokens must be issued for.</summary>
    public Uri Resource => new(BaseAddress, "mcp");

    public Uri ConsentCallback => new(BaseAddress, ConsentCallbackEndpointExtensions.DefaultPattern.TrimStart('/'));

    public ILoggerProvider? LoggerProvider { get; init; }
}

/// <summary>The MCP CRM server as a running web host.</summary>
internal sealed class McpCrmServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private McpCrmServerHost(WebApplication app, McpCrmServerSettings settings, InMemoryAuditTrail audit)
    {
        _app = app;
        Settings = settings;
        Audit = audit;
    }

    public McpCrmServerSettings Settings { get; }

    public InMemoryAuditTrail Audit { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<McpCrmServerHost> StartAsync(McpCrmServerSettings settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, settings.Port));
        builder.Logging.ClearProviders();
        if (settings.LoggerProvider is not null)
        {
            builder.Logging.AddProvider(settings.LoggerProvider).SetMinimumLevel(LogLevel.Debug);
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IdentityGuard:Providers:Crm:DiscoveryUrl"] = settings.DiscoveryUrl.ToString(),
            ["IdentityGuard:Providers:Finance:DiscoveryUrl"] = settings.DiscoveryUrl.ToString(),
            ["Crm:ClientSecret"] = settings.ClientSecret,
            ["IdentityGuard:Consent:RedirectUri"] = settings.ConsentCallback.ToString(),
            ["IdentityGuard:Vault:DatabasePath"] = System.IO.Path.Combine(settings.DataDirectory, "vault.db"),
            ["IdentityGuard:Authorizer:DiscoveryUrl"] = settings.DiscoveryUrl.ToString(),
            ["IdentityGuard:Authorizer:Audiences:0"] = settings.Resource.ToString(),
            ["IdentityGuard:Authorizer:RequiredScopes:0"] = McpScopes.Use,
            ["IdentityGuard:Mcp:Resource"] = settings.Resource.ToString(),
            ["IdentityGuard:Mcp:ResourceName"] = "Contoso CRM (MCP)",
        });

        var audit = new InMemoryAuditTrail();
        builder.Services.AddSingleton<IAuditSink>(audit);
        configure?.Invoke(builder);
        var app = ServerSetup.Build(builder, settings.CrmApi, settings.FinanceApi);
        await app.StartAsync();
        return new McpCrmServerHost(app, settings, audit);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
