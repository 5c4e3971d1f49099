using System;
using System.Collections.Generic;
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
/// Hands out access tokens of one OAuth 2.0 provider for a set of its declared scopes, from the cache when it
/// can. Generated accessors (<c>I&lt;Provider&gt;Tokens</c>) and the HTTP handler call it; application code
/// normally uses those instead.
/// </summary>
public sealed class OAuth2TokenSource : IDisposable
{
    private readonly ProviderDescriptor _descriptor;
    private readonly ITokenClient? _client;
    private readonly TokenCache? _cache;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ulong _declaredMask;
    private readonly Func<OAuth2TokenSource, ulong, CancellationToken, Task<AccessToken>>? _perUser;
    private CredentialDestinationPolicy? _destinations;

    /// <summary>A source of the agent's own tokens, shared by all callers through one cache.</summary>
    internal OAuth2TokenSource(ProviderDescriptor descriptor, ITokenClient client, TimeProvider time, TimeSpan refreshBeforeExpiry, ILogger logger)
        : this(descriptor, time, logger)
    {
        _client = client;
        _cache = new TokenCache(descriptor.Name, FetchAsync, time, refreshBeforeExpiry, logger);
    }

    /// <summary>
    /// A source whose tokens belong to users (user federation): they come from the token vault for the user of
    /// the current <see cref="Federation.WorkloadContext"/>, never from a shared per-provider cache.
    /// </summary>
    internal OAuth2TokenSource(ProviderDescriptor descriptor, Func<OAuth2TokenSource, ulong, CancellationToken, Task<AccessToken>> perUser, TimeProvider time, ILogger logger)
        : this(descriptor, time, logger)
    {
        _perUser = perUser;
    }

    private OAuth2TokenSource(ProviderDescriptor descriptor, TimeProvider time, ILogger logger)
    {
        if (descriptor.Scopes.Count > 64)
        {
            throw new ArgumentException($"Provider '{descriptor.Name}' declares more than 64 scopes.", nameof(descriptor));
        }

        _descriptor = descriptor;
        _logger = logger;
        _time = time;
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

    /// <summary>Gets a token for the declared scopes whose bits are set in <paramref name="scopeMask"/>.</summary>
    /// <param name="scopeMask">Bits of the generated scope enum; zero asks for the client's default scopes.</param>
    /// <param name="cancellationToken">Stops this caller's wait; a request shared with other callers goes on.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bit names no declared scope.</exception>
    /// <exception cref="CredentialUnavailableException">No token could be obtained.</exception>
    public ValueTask<AccessToken> GetAsync(ulong scopeMask, CancellationToken cancellationToken = default)
    {
        if ((scopeMask & ~_declaredMask) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scopeMask), $"The scope mask 0x{scopeMask:X} names scopes that provider '{Provider}' does not declare.");
        }

        return _cache is { } cache
            ? cache.GetAsync(scopeMask, cancellationToken)
            : new ValueTask<AccessToken>(_perUser!(this, scopeMask, cancellationToken));
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
    public void Invalidate(ulong scopeMask, AccessToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        _cache?.Invalidate(scopeMask, token);
    }

    /// <summary>The space-separated scope values for a mask, in declaration order; null for an empty mask.</summary>
    public string? GetScopeString(ulong scopeMask) => scopeMask == 0 ? null : string.Join(' ', GetScopeValues(scopeMask));

    /// <inheritdoc />
    public void Dispose() => _cache?.Dispose();

    /// <inheritdoc />
    public override string ToString() => $"OAuth2TokenSource({_descriptor})";

    private async Task<AccessToken> FetchAsync(ulong scopeMask, CancellationToken cancellationToken)
    {
        var scope = GetScopeString(scopeMask);
        using var activity = IdentityGuardTelemetry.ActivitySource.StartActivity("IdentityGuard.TokenRequest", ActivityKind.Client);
        activity?.SetTag("identityguard.provider", Provider);
        activity?.SetTag("identityguard.flow", Flow.ToString());
        activity?.SetTag("identityguard.scope", scope);
        RuntimeLog.RequestingToken(_logger, Provider, scope);

        var started = _time.GetTimestamp();
        try
        {
            var token = await _client!.RequestTokenAsync(scope, cancellationToken).ConfigureAwait(false);
            IdentityGuardTelemetry.RecordTokenRequest(Provider, "success", _time.GetElapsedTime(started).TotalSeconds);
            RuntimeLog.TokenObtained(_logger, Provider, scope, token.ExpiresAt);
            return token;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var error = ex is TokenRequestException tre ? tre.Error ?? "error" : ex.GetType().Name;
            IdentityGuardTelemetry.RecordTokenRequest(Provider, error, _time.GetElapsedTime(started).TotalSeconds);
            RuntimeLog.TokenRequestFailed(_logger, Provider, scope, ex.Message);
            activity?.SetStatus(ActivityStatusCode.Error, error);
            if (ex is CredentialUnavailableException)
            {
                throw;
            }

            throw new TokenRequestException(Provider, "transport_error", ex.Message, null, ex);
        }
    }
}
