using System;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Net.Http;
using IdentityGuard.Federation;
using IdentityGuard.Manifest;
using IdentityGuard.Scrubbing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityGuard.Providers;

/// <summary>
/// The running manifest: one credential source per declared provider, created on first use and shared by every
/// accessor and HTTP handler of that provider (so they share one token cache).
/// </summary>
/// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code uses the generated accessors and <c>With&lt;Provider&gt;Token</c>/<c>With&lt;Provider&gt;ApiKey</c> methods instead.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class CredentialProviderRegistry : IDisposable
{
    /// <summary>The named <see cref="HttpClient"/> used for token and discovery requests.</summary>
    public const string TokenHttpClientName = "IdentityGuard.TokenClient";

    private readonly IConfiguration _configuration;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _time;
    private readonly IdentityGuardOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IServiceProvider? _services;
    private readonly ConcurrentDictionary<string, OAuth2TokenSource> _tokenSources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ApiKeySource> _apiKeySources = new(StringComparer.Ordinal);

    /// <summary>Creates the registry; normally done by <c>AddIdentityGuard</c>.</summary>
    public CredentialProviderRegistry(
        CredentialManifest manifest,
        IConfiguration configuration,
        IHttpClientFactory httpClientFactory,
        IOptions<IdentityGuardOptions> options,
        ILoggerFactory loggerFactory,
        TimeProvider? timeProvider = null,
        IServiceProvider? services = null)
    {
        _services = services;
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Manifest = manifest;
        _configuration = configuration;
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        _loggerFactory = loggerFactory;
        _time = timeProvider ?? TimeProvider.System;
        Workload = string.IsNullOrWhiteSpace(configuration["IdentityGuard:Workload"]) ? manifest.Workload : configuration["IdentityGuard:Workload"]!;
    }

    /// <summary>The manifest this registry serves.</summary>
    public CredentialManifest Manifest { get; }

    /// <summary>The workload name (the manifest's, unless overridden by <c>IdentityGuard:Workload</c>).</summary>
    public string Workload { get; }

    /// <summary>The token source of an OAuth 2.0 provider.</summary>
    /// <exception cref="InvalidOperationException">No OAuth 2.0 provider of that name is declared.</exception>
    public OAuth2TokenSource GetOAuth2TokenSource(string provider) =>
        _tokenSources.TryGetValue(provider, out var source) ? source : _tokenSources.GetOrAdd(provider, CreateTokenSource);

    /// <summary>The key source of an API-key provider.</summary>
    /// <exception cref="InvalidOperationException">No API-key provider of that name is declared.</exception>
    public ApiKeySource GetApiKeySource(string provider) =>
        _apiKeySources.TryGetValue(provider, out var source) ? source : _apiKeySources.GetOrAdd(provider, CreateApiKeySource);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var source in _tokenSources.Values)
        {
            source.Dispose();
        }
    }

    private OAuth2TokenSource CreateTokenSource(string name)
    {
        var descriptor = Manifest.Require(name, CredentialKind.OAuth2);
        var settings = ProviderSettings.Create(descriptor, _configuration);
        var destinations = settings.Destinations;
        var logger = _loggerFactory.CreateLogger("IdentityGuard.Providers." + name);
        var held = HeldCredentials;
        return descriptor.Flow switch
        {
            OAuthFlow.ClientCredentials => new ClientCredentialsTokenSource(
                descriptor, HeldCredentialsObserver.Observe(new ClientCredentialsTokenClient(settings, _configuration, CreateHttpClient, _time, _options.DefaultTokenLifetime), held, name), _time, _options.RefreshBeforeExpiry, logger)
            { Destinations = destinations },

            // Users' tokens are remembered for the scrubber by the vault, where they are obtained, not on every call.
            OAuthFlow.UserFederation => new UserFederationTokenSource(descriptor, () => _services?.GetService(typeof(UserFederation)) as UserFederation) { Destinations = destinations },
            OAuthFlow.OnBehalfOf => new Delegation.OnBehalfOfTokenSource(descriptor, CreateOnBehalfOfExchange(settings, logger, held)) { Destinations = destinations },
            _ => new ClientCredentialsTokenSource(descriptor, new UnsupportedFlowTokenClient(name, descriptor.Flow), _time, _options.RefreshBeforeExpiry, logger) { Destinations = destinations },
        };
    }

    private Delegation.OnBehalfOfExchange CreateOnBehalfOfExchange(ProviderSettings settings, ILogger logger, HeldCredentials? held) => new(
        settings.Name,
        new Delegation.TokenExchangeClient(settings, _configuration, CreateHttpClient, _time, _options.DefaultTokenLifetime),
        () => _services?.GetService(typeof(Workload.WorkloadIdentity)) as Workload.WorkloadIdentity,
        () => _services?.GetService(typeof(Audit.AuditLog)) as Audit.AuditLog,
        _time,
        _options.RefreshBeforeExpiry,
        logger)
    {
        // Exchanged tokens are remembered for the credential scrubber when they are obtained, not on every call.
        Held = held,
    };

    private ApiKeySource CreateApiKeySource(string name)
    {
        var descriptor = Manifest.Require(name, CredentialKind.ApiKey);
        return new ApiKeySource(descriptor, _configuration) { Destinations = ProviderSettings.Create(descriptor, _configuration).Destinations, Held = HeldCredentials };
    }

    /// <summary>Where handed-out credentials are remembered for the scrubber (registered by <c>AddIdentityGuardRuntime</c>).</summary>
    private HeldCredentials? HeldCredentials => _services?.GetService(typeof(HeldCredentials)) as HeldCredentials;

    private HttpClient CreateHttpClient() => _httpClientFactory.CreateClient(TokenHttpClientName);
}
