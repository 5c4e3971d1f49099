using System;
using System.ComponentModel;
using IdentityGuard;
using IdentityGuard.DependencyInjection;
using IdentityGuard.Manifest;
using IdentityGuard.Scrubbing;
using Microsoft.Extensions.Configuration;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace so they show up where services are registered.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the IdentityGuard runtime. Generated <c>AddIdentityGuard</c> methods call this.</summary>
public static class IdentityGuardServiceCollectionExtensions
{
    /// <summary>
    /// Registers the runtime for <paramref name="manifest"/>: the credential-provider registry, the token HTTP
    /// client, <see cref="IdentityGuardOptions"/> bound from the <c>IdentityGuard</c> section (the workload name
    /// defaulting to the manifest's), and the credential scrubber (<see cref="HeldCredentials"/>, filled as
    /// credentials are handed out, and <see cref="CredentialScrubber"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration that referenced secrets and every <c>IdentityGuard:*</c> setting are read from.</param>
    /// <param name="manifest">The compiled manifest.</param>
    /// <returns>The builder on which the vault, user federation, stores and integrations are added.</returns>
    /// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code calls the generated <c>AddIdentityGuard</c>.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static IdentityGuardBuilder AddIdentityGuardRuntime(this IServiceCollection services, IConfiguration configuration, CredentialManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var builder = new IdentityGuardBuilder(services, configuration);
        RuntimeRegistration.AddManifest(services, configuration, manifest);
        return builder;
    }

    /// <summary>
    /// Registers the runtime's shared services without a manifest, for a host that only verifies inbound tokens (with
    /// <see cref="IdentityGuardBuilder.AddAuthorizer"/>) or serves MCP tools: the workload name then comes from
    /// <c>IdentityGuard:Workload</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration every <c>IdentityGuard:*</c> setting is read from.</param>
    /// <returns>The builder on which the parts are added.</returns>
    public static IdentityGuardBuilder AddIdentityGuardRuntime(this IServiceCollection services, IConfiguration configuration) =>
        new(services, configuration);
}
