using System;
using System.Collections.Concurrent;
using System.Net.Http;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace IdentityGuard.Federation;

/// <summary>
/// The manifest's user-federation providers, one <see cref="AuthorizationCodeClient"/> each, created on first use: it
/// builds authorization URLs, redeems codes, verifies ID tokens and is the provider's grant refresher.
/// </summary>
internal sealed class UserFederationProviders : IDisposable
{
    private readonly CredentialManifest _manifest;
    private readonly IConfiguration _configuration;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _time;
    private readonly TimeSpan _defaultTokenLifetime;
    private readonly ConcurrentDictionary<string, AuthorizationCodeClient> _clients = new(StringComparer.Ordinal);

    public UserFederationProviders(CredentialManifest manifest, DependencyInjection.RuntimeConfiguration configuration, IHttpClientFactory httpClientFactory, TimeProvider time, IOptions<IdentityGuardOptions> runtime)
    {
        _manifest = manifest;
        _configuration = configuration.Configuration;
        _httpClientFactory = httpClientFactory;
        _time = time;
        _defaultTokenLifetime = runtime.Value.DefaultTokenLifetime;
        Workload = runtime.Value.Workload ?? manifest.Workload;
    }

    /// <summary>The runtime's workload name (<see cref="IdentityGuardOptions.Workload"/>), the one every part audits under.</summary>
    public string Workload { get; }

    /// <summary>The client of a declared user-federation provider.</summary>
    /// <exception cref="InvalidOperationException">No user-federation provider of that name is declared.</exception>
    public AuthorizationCodeClient Get(string provider)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        if (_clients.TryGetValue(provider, out var client))
        {
            return client;
        }

        // Two first callers may both create one; the loser is disposed rather than left holding an HTTP client.
        var created = Create(provider);
        var winner = _clients.GetOrAdd(provider, created);
        if (!ReferenceEquals(winner, created))
        {
            created.Dispose();
        }

        return winner;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    private AuthorizationCodeClient Create(string provider)
    {
        var descriptor = _manifest.Require(provider, CredentialKind.OAuth2, OAuthFlow.UserFederation);
        return new AuthorizationCodeClient(
            ProviderSettings.Create(descriptor, _configuration),
            _configuration,
            () => _httpClientFactory.CreateClient(CredentialProviderRegistry.TokenHttpClientName),
            _time,
            _defaultTokenLifetime);
    }
}
