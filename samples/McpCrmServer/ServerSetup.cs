using System;
using IdentityGuard.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace McpCrmServer;

/// <summary>The whole IdentityGuard set-up of the MCP server; docs/mcp.md shows these lines.</summary>
internal static class ServerSetup
{
    public static WebApplication Build(WebApplicationBuilder builder, Uri crmApi, Uri financeApi)
    {
        // The finance API is read with the server's own identity; only tools that declare Finance may use it.
        builder.Services.AddRefitGeneratedClient<IFinanceApi>()
            .ConfigureHttpClient(http => http.BaseAddress = financeApi)
            .WithFinanceToken(FinanceScopes.SpendRead);                          // the server's own finance token
        builder.Services.AddIdentityGuard(builder.Configuration)                 // the manifest's providers
            .AddVault()                                                          // users' grants, encrypted
            .AddUserFederation()                                                 // consent
            .AddMcp();                                                           // metadata, challenges, requirements, consent
        builder.Services.AddRefitGeneratedClient<ICrmApi>()
            .ConfigureHttpClient(http => http.BaseAddress = crmApi)
            .WithCrmToken(CrmScopes.NotesRead);                                  // the user's CRM token, never the caller's
        builder.Services.AddMcpServer()
            .WithHttpTransport()
            .WithTools<CrmTools>();

        var app = builder.Build();
        app.MapIdentityGuardConsentCallback();
        app.MapMcp("/mcp").RequireIdentityGuard();
        return app;
    }
}
