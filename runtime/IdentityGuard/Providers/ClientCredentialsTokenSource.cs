using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Caching;
using IdentityGuard.Diagnostics;
using IdentityGuard.Manifest;
using IdentityGuard.Tokens;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Providers;

/// <summary>
/// The agent's own tokens (client credentials): one cache per provider shared by every caller, one token request
/// however many callers wait, renewed before expiry.
/// </summary>
internal sealed class ClientCredentialsTokenSource : OAuth2TokenSource
{
    private readonly ITokenClient _client;
    private readonly TokenCache _cache;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public ClientCredentialsTokenSource(ProviderDescriptor descriptor, ITokenClient client, TimeProvider time, TimeSpan refreshBeforeExpiry, ILogger logger)
        : base(descriptor)
    {
        _client = client;
        _logger = logger;
        _time = time;
        _cache = new TokenCache(descriptor.Name, FetchAsync, time, refreshBeforeExpiry, logger);
    }

    /// <inheritdoc />
    public override void Invalidate(ulong scopeMask, AccessToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        _cache.Invalidate(scopeMask, token);
    }

    private protected override ValueTask<AccessToken> GetTokenAsync(ulong scopeMask, CancellationToken cancellationToken) => _cache.GetAsync(scopeMask, cancellationToken);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cache.Dispose();
        }

        base.Dispose(disposing);
    }

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
            var token = await _client.RequestTokenAsync(scope, cancellationToken).ConfigureAwait(false);
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
