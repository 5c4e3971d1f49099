using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using IdentityGuard.Manifest;
using IdentityGuard.Mcp.Requirements;
using IdentityGuard.Mcp.Tools;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityGuard.Benchmarks;

/// <summary>
/// A cached token asked for while an MCP tool's credential use policy is in force (the tool declared the provider),
/// against <see cref="TokenCacheBenchmarks"/>, where no policy is in force: what the point-of-use check adds.
/// </summary>
[MemoryDiagnoser]
public class CredentialUsePolicyBenchmarks : IDisposable
{
    private OAuth2TokenSource _source = null!;
    private CredentialUsePolicy.Scope _policy;

    [Flags]
    private enum ReportsScopes : ulong
    {
        None = 0,
        SalesRead = 1,
    }

    [GlobalSetup]
    public void Setup()
    {
        var descriptor = new ProviderDescriptor("Reports", CredentialKind.OAuth2)
        {
            Scopes = [new ScopeDescriptor("SalesRead", "sales.read"), new ScopeDescriptor("SalesWrite", "sales.write")],
        };
        _source = new ClientCredentialsTokenSource(descriptor, new FixedTokenClient(), TimeProvider.System, TimeSpan.FromMinutes(1), NullLogger.Instance);
        _source.GetAsync(1).AsTask().GetAwaiter().GetResult();

        var requirements = ToolRequirements.From([new ActsWithAttribute<ReportsScopes>(ReportsScopes.SalesRead)]);
        var rules = ToolCredentialRules.For(requirements, new CredentialManifest("benchmark", [descriptor]));
        var refusals = new ToolCredentialRefusals(new ServiceCollection().BuildServiceProvider(), NullLogger.Instance);

        // Entered on the benchmark thread in a synchronous method, so it stays in force for the measured calls.
        _policy = CredentialUsePolicy.Enter(new ToolCredentialPolicy("report", rules, refusals));
    }

    [Benchmark(Description = "cache hit under a tool's credential use policy")]
    public ValueTask<AccessToken> CacheHitUnderPolicy() => _source.GetAsync(1);

    [GlobalCleanup]
    public void Dispose()
    {
        _policy.Dispose();
        _source.Dispose();
        GC.SuppressFinalize(this);
    }
}
