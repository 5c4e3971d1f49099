using System;
using System.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace IdentityGuard.Demo.Server;

/// <summary>Registers OpenIddict's core, EF Core store and server stack for one demo server instance.</summary>
internal static class ServerRegistration
{
    public static void AddDemoOpenIddictServer(this IServiceCollection services, DemoIdentityProviderOptions options)
    {
        var databaseName = "IdentityGuardDemo-" + Guid.NewGuid().ToString("N");
        services.AddDbContext<DemoDbContext>(db =>
        {
            db.UseInMemoryDatabase(databaseName);
            db.UseOpenIddict();
        });

        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<DemoDbContext>())
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(EndpointPaths.Token)
                      .SetAuthorizationEndpointUris(EndpointPaths.Authorization);

                // All flows are switched on server-wide; each client's permissions decide which it may use.
                server.AllowClientCredentialsFlow()
                      .AllowAuthorizationCodeFlow()
                      .RequireProofKeyForCodeExchange()
                      .AllowRefreshTokenFlow()
                      .AllowTokenExchangeFlow();

                // Scopes are also stored with their resources (see DemoDataSeeder); registering the names here
                // additionally lists them in the discovery document.
                server.RegisterScopes(
                    [
                        OpenIddictConstants.Scopes.OpenId,
                        OpenIddictConstants.Scopes.OfflineAccess,
                        .. options.Scopes.Select(scope => scope.Name),
                    ]);

                server.SetAccessTokenLifetime(options.AccessTokenLifetime);

                // Fresh keys per instance: a token from one instance must never validate against another.
                server.AddEphemeralEncryptionKey()
                      .AddEphemeralSigningKey();

                // Plain signed JWT access tokens, so resource servers can validate them with the public key alone.
                server.DisableAccessTokenEncryption();

                server.UseAspNetCore()
                      .EnableTokenEndpointPassthrough()
                      .EnableAuthorizationEndpointPassthrough()
                      // Loopback-only test server: HTTPS would need certificates the test machine doesn't have.
                      .DisableTransportSecurityRequirement();
            });
    }
}
