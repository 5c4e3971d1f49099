using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityGuard.Demo.Server;

/// <summary>
/// Writes the configured clients and scopes into the server's store before it starts serving. A persistent store
/// already holds them from an earlier run, so existing entries are updated to match the options rather than duplicated
/// (which also picks up a client secret generated afresh at each start).
/// </summary>
internal static class DemoDataSeeder
{
    public static async Task SeedAsync(IServiceProvider services, DemoIdentityProviderOptions options, CancellationToken cancellationToken)
    {
        var scope = services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            // Creates the schema in a new SQLite file; a no-op for an existing one and for the in-memory store.
            var database = scope.ServiceProvider.GetRequiredService<DemoDbContext>().Database;
            await database.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

            var scopeManager = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>();
            foreach (var demoScope in options.Scopes)
            {
                var descriptor = new OpenIddictScopeDescriptor { Name = demoScope.Name };
                foreach (var resource in demoScope.Resources)
                {
                    descriptor.Resources.Add(resource);
                }

                var existing = await scopeManager.FindByNameAsync(demoScope.Name, cancellationToken).ConfigureAwait(false);
                if (existing is null)
                {
                    await scopeManager.CreateAsync(descriptor, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await scopeManager.UpdateAsync(existing, descriptor, cancellationToken).ConfigureAwait(false);
                }
            }

            var applicationManager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            foreach (var client in options.Clients)
            {
                var descriptor = Describe(client);
                var existing = await applicationManager.FindByClientIdAsync(client.ClientId, cancellationToken).ConfigureAwait(false);
                if (existing is null)
                {
                    await applicationManager.CreateAsync(descriptor, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // The manager hashes a changed plain-text secret, as it does on create.
                    await applicationManager.UpdateAsync(existing, descriptor, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static OpenIddictApplicationDescriptor Describe(DemoClient client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            ClientType = client.ClientSecret is null ? ClientTypes.Public : ClientTypes.Confidential,
            DisplayName = client.ClientId,
        };

        descriptor.Permissions.Add(Permissions.Endpoints.Token);

        // Every client may revoke the tokens it was issued (e.g. a refresh token on sign-out).
        descriptor.Permissions.Add(Permissions.Endpoints.Revocation);
        foreach (var grantType in client.AllowedGrantTypes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.GrantType + grantType);
            if (grantType == DemoGrantTypes.AuthorizationCode)
            {
                descriptor.Permissions.Add(Permissions.Endpoints.Authorization);
                descriptor.Permissions.Add(Permissions.ResponseTypes.Code);
            }
        }

        foreach (var allowedScope in client.AllowedScopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + allowedScope);
        }

        foreach (var resource in client.AllowedResources)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Resource + resource);
        }

        foreach (var redirectUri in client.RedirectUris)
        {
            descriptor.RedirectUris.Add(redirectUri);
        }

        // PKCE is required server-wide; saying so per client too documents the intent in the store.
        if (client.AllowedGrantTypes.Contains(DemoGrantTypes.AuthorizationCode))
        {
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        }

        return descriptor;
    }
}
