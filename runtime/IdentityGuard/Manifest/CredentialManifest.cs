using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;

namespace IdentityGuard.Manifest;

/// <summary>The compiled credential-provider manifest (<c>identityguard.json</c>): the workload and its providers.</summary>
/// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code uses the generated accessors and <c>With&lt;Provider&gt;Token</c>/<c>With&lt;Provider&gt;ApiKey</c> methods instead.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class CredentialManifest
{
    private readonly Dictionary<string, ProviderDescriptor> _byName;

    /// <summary>Creates a manifest.</summary>
    /// <param name="workload">The workload (agent) name.</param>
    /// <param name="providers">The credential providers; names must be unique.</param>
    public CredentialManifest(string workload, IEnumerable<ProviderDescriptor> providers)
    {
        ArgumentException.ThrowIfNullOrEmpty(workload);
        ArgumentNullException.ThrowIfNull(providers);
        Workload = workload;
        Providers = providers.ToArray();
        _byName = new Dictionary<string, ProviderDescriptor>(StringComparer.Ordinal);
        foreach (var provider in Providers)
        {
            if (!_byName.TryAdd(provider.Name, provider))
            {
                throw new ArgumentException($"The provider name '{provider.Name}' is declared twice.", nameof(providers));
            }
        }
    }

    /// <summary>The workload name.</summary>
    public string Workload { get; }

    /// <summary>The providers in manifest order.</summary>
    public IReadOnlyList<ProviderDescriptor> Providers { get; }

    /// <summary>Finds a provider by name.</summary>
    public ProviderDescriptor? Find(string name) => _byName.TryGetValue(name, out var provider) ? provider : null;

    /// <summary>The provider of that name and kind (and flow, for OAuth 2.0), or a clear error naming what was expected.</summary>
    internal ProviderDescriptor Require(string name, CredentialKind kind, OAuthFlow? flow = null)
    {
        var descriptor = Find(name)
            ?? throw new InvalidOperationException($"The manifest of workload '{Workload}' declares no provider '{name}'.");
        if (descriptor.Kind != kind)
        {
            throw new InvalidOperationException($"Provider '{name}' is of kind {descriptor.Kind}, not {kind}.");
        }

        if (flow is { } expected && descriptor.Flow != expected)
        {
            throw new InvalidOperationException($"Provider '{name}' uses the {descriptor.Flow} flow, not {expected}.");
        }

        return descriptor;
    }
}
