using System;
using System.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace IdentityGuard.Demo.Server;

/// <summary>Registers OpenIddict's core, EF Core store and server stack for one demo server instance.</summary>
internal static class ServerRegistration
{
    /// <param name="services">The server's services.</param>
    /// <param name="options">The server's configuration.</param>
    /// <param name="persistentState">The database and keys in <see cref="DemoIdentityProviderOptions.DataDirectory"/>, or <see langword="null"/> for an in-memory server with ephemeral keys.</param>
    public static void AddDemoOpenIddictServer(this IServiceCollection services, DemoIdentityProviderOptions options, PersistentState? persistentState)
    {
        var databaseName = "IdentityGuardDemo-" + Guid.NewGuid().ToString("N");
        services.AddDbContext<DemoDbContext>(db =>
        {
            if (persistentState is null)
            {
                db.UseInMemoryDatabase(databaseName);
            }
            else
            {
                db.UseSqlite(persistentState.ConnectionString);
            }

            db.UseOpenIddict();
        });

        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<DemoDbContext>())
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(EndpointPaths.Token)
                      .SetAuthorizationEndpointUris(EndpointPaths.Authorization)
                      .SetRevocationEndpointUris(EndpointPaths.Revocation);

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

                // Resources a client may name with RFC 8707's resource parameter (an MCP client names the MCP server).
                var resources = options.Clients.SelectMany(client => client.AllowedResources).Distinct(StringComparer.Ordinal).ToArray();
                if (resources.Length > 0)
                {
                    server.RegisterResources(resources);
                }

                // With a fixed port the issuer is pinned, so tokens keep their "iss" across restarts even if a client
                // reaches the server as "localhost" instead of 127.0.0.1 (OpenIddict otherwise derives it per request).
                if (options.Port is { } port and > 0)
                {
                    server.SetIssuer(new Uri($"http://127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/"));
                }

                server.SetAccessTokenLifetime(options.AccessTokenLifetime)
                      .SetRefreshTokenLifetime(options.RefreshTokenLifetime);

                if (persistentState is null)
                {
                    // Fresh keys per instance: a token from one instance must never validate against another.
                    server.AddEphemeralEncryptionKey()
                          .AddEphemeralSigningKey();
                }
                else
                {
                    // The same keys on every start, so tokens issued before a restart can still be decrypted and verified.
                    server.AddEncryptionKey(persistentState.EncryptionKey)
                          .AddSigningKey(persistentState.SigningKey);
                }

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
