using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Caching;
using IdentityGuard.Diagnostics;
using IdentityGuard.Http;
using IdentityGuard.Manifest;
using IdentityGuard.Tokens;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Providers;

/// <summary>
/// Hands out access tokens of one OAuth 2.0 provider for a set of its declared scopes. Generated accessors
/// (<c>I&lt;Provider&gt;Tokens</c>) and the HTTP handler call it; application code normally uses those instead.
/// Each flow has its own source: the agent's own tokens come from a shared cache, users' tokens from the vault for
/// the user of the current <see cref="Federation.WorkloadContext"/>.
/// </summary>
/// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code uses the generated accessors and <c>With&lt;Provider&gt;Token</c>/<c>With&lt;Provider&gt;ApiKey</c> methods instead.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class OAuth2TokenSource : IDisposable
{
    private readonly ProviderDescriptor _descriptor;
    private readonly ulong _declaredMask;
    private CredentialDestinationPolicy? _destinations;

    private protected OAuth2TokenSource(ProviderDescriptor descriptor)
    {
        if (descriptor.Scopes.Count > 64)
        {
            throw new ArgumentException($"Provider '{descriptor.Name}' declares more than 64 scopes.", nameof(descriptor));
        }

        _descriptor = descriptor;
        _declaredMask = descriptor.Scopes.Count == 64 ? ulong.MaxValue : (1UL << descriptor.Scopes.Count) - 1;
    }

    /// <summary>The provider name.</summary>
    public string Provider => _descriptor.Name;

    /// <summary>Where the tokens may be sent: the manifest's allowed origins unless configuration overrides them.</summary>
    internal CredentialDestinationPolicy Destinations
    {
        get => _destinations ??= CredentialDestinationPolicy.For(_descriptor);
        init => _destinations = value;
    }

    /// <summary>The provider's OAuth flow.</summary>
    public OAuthFlow Flow => _descriptor.Flow;

    /// <summary>The declared scopes; scope <c>i</c> is bit <c>i</c> of a scope mask.</summary>
    public IReadOnlyList<ScopeDescriptor> Scopes => _descriptor.Scopes;

    /// <summary>The manifest entry.</summary>
    private protected ProviderDescriptor Descriptor => _descriptor;

    /// <summary>Gets a token for the declared scopes whose bits are set in <paramref name="scopeMask"/>.</summary>
    /// <param name="scopeMask">Bits of the generated scope enum; zero asks for the client's default scopes.</param>
    /// <param name="cancellationToken">Stops this caller's wait; a request shared with other callers goes on.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bit names no declared scope.</exception>
    /// <exception cref="CredentialUnavailableException">No token could be obtained, or the <see cref="CredentialUsePolicy"/> in force does not permit it.</exception>
    public ValueTask<AccessToken> GetAsync(ulong scopeMask, CancellationToken cancellationToken = default)
    {
        if ((scopeMask & ~_declaredMask) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scopeMask), $"The scope mask 0x{scopeMask:X} names scopes that provider '{Provider}' does not declare.");
        }

        // The one place every OAuth 2.0 token of every flow is handed out: accessors, handlers and MCP tools alike.
        CredentialUsePolicy.Demand(CredentialRequest.Token(Provider, scopeMask));
        return GetTokenAsync(scopeMask, cancellationToken);
    }

    /// <summary>The declared scope values for a mask, in declaration order.</summary>
    public IReadOnlyList<string> GetScopeValues(ulong scopeMask)
    {
        var values = new List<string>();
        for (var i = 0; i < _descriptor.Scopes.Count; i++)
        {
            if ((scopeMask & (1UL << i)) != 0)
            {
                values.Add(_descriptor.Scopes[i].Value);
            }
        }

        return values;
    }

    /// <summary>
    /// Drops <paramref name="token"/> from the cache, e.g. after a resource server answered 401. Users' tokens are
    /// not cached here (the vault decides their freshness), so for them this does nothing.
    /// </summary>
    public virtual void Invalidate(ulong scopeMask, AccessToken token) => ArgumentNullException.ThrowIfNull(token);

    /// <summary>The space-separated scope values for a mask, in declaration order; null for an empty mask.</summary>
    public string? GetScopeString(ulong scopeMask) => scopeMask == 0 ? null : string.Join(' ', GetScopeValues(scopeMask));

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name}({_descriptor})";

    /// <summary>Gets a token for a validated scope mask.</summary>
    private protected abstract ValueTask<AccessToken> GetTokenAsync(ulong scopeMask, CancellationToken cancellationToken);

    /// <summary>Releases the source's resources.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }
}
