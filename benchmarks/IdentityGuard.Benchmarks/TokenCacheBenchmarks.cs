using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityGuard.Benchmarks;

/// <summary>The cost of asking for a token that is already cached: what every outgoing request pays.</summary>
[MemoryDiagnoser]
public class TokenCacheBenchmarks : IDisposable
{
    private OAuth2TokenSource _source = null!;

    [GlobalSetup]
    public void Setup()
    {
        var descriptor = new ProviderDescriptor("Reports", CredentialKind.OAuth2)
        {
            Scopes = [new ScopeDescriptor("SalesRead", "sales.read"), new ScopeDescriptor("SalesWrite", "sales.write")],
        };
        _source = new ClientCredentialsTokenSource(descriptor, new FixedTokenClient(), TimeProvider.System, TimeSpan.FromMinutes(1), NullLogger.Instance);
        _source.GetAsync(1).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "cache hit: OAuth2TokenSource.GetAsync")]
    public ValueTask<AccessToken> CacheHit() => _source.GetAsync(1);

    [GlobalCleanup]
    public void Dispose()
    {
        _source.Dispose();
        GC.SuppressFinalize(this);
    }
}
