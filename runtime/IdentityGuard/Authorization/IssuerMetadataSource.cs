using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace IdentityGuard.Authorization;

/// <summary>
/// The trusted issuer's discovery document and signing keys, cached by a
/// <see cref="ConfigurationManager{T}"/>, plus an on-demand refresh for key rollover.
/// </summary>
/// <remarks>
/// Since Microsoft.IdentityModel 8, <see cref="ConfigurationManager{T}.RequestRefresh"/> only starts a background
/// fetch, so a retry straight after it would usually still see the old keys. A forced refresh therefore builds a new
/// manager and awaits its first fetch; the minimum interval between forced refreshes (successful or not) keeps tokens
/// with made-up key ids from turning into a flood of requests to the identity provider, also while it is failing.
/// Every address is fetched through <see cref="MetadataDocumentRetriever"/> (HTTPS unless loopback) and the document
/// is bound to its address by <see cref="IssuerBoundConfigurationRetriever"/>.
/// </remarks>
internal sealed class IssuerMetadataSource : IDisposable
{
    private readonly Uri _discoveryUrl;
    private readonly MetadataDocumentRetriever _documentRetriever;
    private readonly IssuerBoundConfigurationRetriever _configurationRetriever;
    private readonly TimeSpan _minimumRefreshInterval;
    private readonly TimeSpan _automaticRefreshInterval;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private ConfigurationManager<OpenIdConnectConfiguration> _manager;
    private DateTimeOffset _lastFetch = DateTimeOffset.MinValue;
    private FirstFetchFailure? _firstFetchFailure;

    public IssuerMetadataSource(Uri discoveryUrl, HttpClient httpClient, bool requireHttps, TimeSpan minimumRefreshInterval, TimeSpan automaticRefreshInterval, TimeProvider time)
    {
        _discoveryUrl = discoveryUrl;
        _documentRetriever = new MetadataDocumentRetriever(httpClient, requireHttps);
        _configurationRetriever = new IssuerBoundConfigurationRetriever(discoveryUrl);
        _minimumRefreshInterval = minimumRefreshInterval;
        _automaticRefreshInterval = automaticRefreshInterval;
        _time = time;
        _manager = CreateManager();
    }

    public Uri DiscoveryUrl => _discoveryUrl;

    /// <summary>
    /// The cached metadata; the first call fetches it. Until a fetch has succeeded, a failed one is not repeated within
    /// the minimum refresh interval: callers get the failure, the identity provider gets no request per token.
    /// </summary>
    public async Task<OpenIdConnectConfiguration> GetAsync(CancellationToken cancellationToken)
    {
        // The configuration manager retries on every call while it has nothing cached (once it has, it serves the
        // stale document while failing); without this, an identity provider down since start-up would get one
        // metadata request per inbound token.
        if (Volatile.Read(ref _firstFetchFailure) is { } failure && _time.GetUtcNow() - failure.At < _minimumRefreshInterval)
        {
            throw new InvalidOperationException($"The identity provider's metadata at {_discoveryUrl} could not be read; it is asked again at most every {_minimumRefreshInterval}.", failure.Error);
        }

        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await Volatile.Read(ref _manager).GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Volatile.Write(ref _firstFetchFailure, new FirstFetchFailure(_time.GetUtcNow(), ex));
            throw;
        }

        Volatile.Write(ref _firstFetchFailure, null);
        if (_lastFetch == DateTimeOffset.MinValue)
        {
            _lastFetch = _time.GetUtcNow();
        }

        return configuration;
    }

    /// <summary>
    /// Fetches the metadata anew unless <paramref name="seen"/> is already outdated (another caller refreshed) or the
    /// minimum interval has not passed since the last fetch, whether that fetch succeeded or failed.
    /// </summary>
    /// <returns>Newer metadata than <paramref name="seen"/>, or <see langword="null"/> when no refresh was allowed.</returns>
    public async Task<OpenIdConnectConfiguration?> RefreshAsync(OpenIdConnectConfiguration seen, CancellationToken cancellationToken)
    {
        await _refreshLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await Volatile.Read(ref _manager).GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
            if (!ReferenceEquals(current, seen))
            {
                return current;
            }

            var now = _time.GetUtcNow();
            if (now - _lastFetch < _minimumRefreshInterval)
            {
                return null;
            }

            // The attempt counts, not its success: a provider in an outage must not get one request per token that names
            // an unknown key, and the cached keys keep serving the tokens they can verify meanwhile.
            _lastFetch = now;
            var manager = CreateManager();
            var fresh = await manager.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _manager, manager);
            return fresh;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    public void Dispose() => _refreshLock.Dispose();

    private sealed record FirstFetchFailure(DateTimeOffset At, Exception Error);

    private ConfigurationManager<OpenIdConnectConfiguration> CreateManager() =>
        new(_discoveryUrl.AbsoluteUri, _configurationRetriever, _documentRetriever)
        {
            AutomaticRefreshInterval = _automaticRefreshInterval,
        };
}
