using System;
using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Http;
using IdentityGuard.Manifest;
using IdentityGuard.Scrubbing;
using IdentityGuard.Tokens;
using Microsoft.Extensions.Configuration;

namespace IdentityGuard.Providers;

/// <summary>Hands out the API key of one API-key provider, read from configuration or the environment.</summary>
/// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code uses the generated accessors and <c>With&lt;Provider&gt;Token</c>/<c>With&lt;Provider&gt;ApiKey</c> methods instead.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ApiKeySource
{
    private readonly ProviderDescriptor _descriptor;
    private readonly IConfiguration _configuration;
    private Cached? _cached;
    private CredentialDestinationPolicy? _destinations;

    internal ApiKeySource(ProviderDescriptor descriptor, IConfiguration configuration)
    {
        if (descriptor.ApiKey is null || string.IsNullOrEmpty(descriptor.ApiKeyParameter))
        {
            throw new ArgumentException($"Provider '{descriptor.Name}' declares no API key reference or parameter name.", nameof(descriptor));
        }

        _descriptor = descriptor;
        _configuration = configuration;
    }

    /// <summary>The provider name.</summary>
    public string Provider => _descriptor.Name;

    /// <summary>Where the key may be sent: the manifest's allowed origins unless configuration overrides them.</summary>
    internal CredentialDestinationPolicy Destinations
    {
        get => _destinations ??= CredentialDestinationPolicy.For(_descriptor);
        init => _destinations = value;
    }

    /// <summary>Where a newly read key is remembered so the credential scrubber can find it; null remembers nothing.</summary>
    internal HeldCredentials? Held { get; init; }

    /// <summary>Gets the API key. The value is re-read on each call, so rotated configuration takes effect.</summary>
    /// <exception cref="CredentialUnavailableException">The referenced setting is absent, or the <see cref="CredentialUsePolicy"/> in force does not permit the key.</exception>
    public ValueTask<ApiKey> GetAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CredentialUsePolicy.Demand(CredentialRequest.ApiKey(Provider));
        var value = _descriptor.ApiKey!.Resolve(_configuration)
            ?? throw new CredentialUnavailableException(Provider, $"the API key was not found in {_descriptor.ApiKey}.");

        // Reuse the ApiKey instance while the setting is unchanged, so steady-state calls do not allocate.
        var cached = _cached;
        if (cached is null || !string.Equals(cached.Value, value, StringComparison.Ordinal))
        {
            cached = new Cached(value, new ApiKey(value, _descriptor.ApiKeyPlacement, _descriptor.ApiKeyParameter!));
            _cached = cached;
            Held?.Remember(cached.Key, Provider);
        }

        return new ValueTask<ApiKey>(cached.Key);
    }

    /// <inheritdoc />
    public override string ToString() => $"ApiKeySource({_descriptor})";

    private sealed record Cached(string Value, ApiKey Key)
    {
        // A record would print its members; this one holds a secret.
        public override string ToString() => "[redacted]";
    }
}
