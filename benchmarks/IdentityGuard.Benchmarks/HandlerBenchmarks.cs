using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using IdentityGuard.Http;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityGuard.Benchmarks;

/// <summary>
/// The handler's overhead per request against the cheapest alternative, a handler that sets a fixed header.
/// Both end in a handler that answers without I/O, so only the pipeline is measured.
/// </summary>
[MemoryDiagnoser]
public class HandlerBenchmarks : IDisposable
{
    private static readonly Uri s_address = new("https://api.example/reports");
    private OAuth2TokenSource _source = null!;
    private HttpMessageInvoker _identityGuard = null!;
    private HttpMessageInvoker _staticHeader = null!;
    private HttpMessageInvoker _wired = null!;

    [GlobalSetup]
    public void Setup()
    {
        var descriptor = new ProviderDescriptor("Reports", CredentialKind.OAuth2) { Scopes = [new ScopeDescriptor("SalesRead", "sales.read")] };
        _source = new ClientCredentialsTokenSource(descriptor, new FixedTokenClient(), TimeProvider.System, TimeSpan.FromMinutes(1), NullLogger.Instance);
        _identityGuard = new HttpMessageInvoker(new AccessTokenHandler(_source, 1, NullLogger<AccessTokenHandler>.Instance) { InnerHandler = new OkHandler() });
        _staticHeader = new HttpMessageInvoker(new StaticHeaderHandler { InnerHandler = new OkHandler() });

        // As AddIdentityGuardAccessToken wires it: redirects followed by IdentityGuard (same origin only), then the
        // credential handler.
        _wired = new HttpMessageInvoker(new SameOriginRedirectHandler(5, NullLogger.Instance)
        {
            InnerHandler = new AccessTokenHandler(_source, 1, NullLogger<AccessTokenHandler>.Instance) { InnerHandler = new OkHandler() },
        });
    }

    [Benchmark(Baseline = true, Description = "static Authorization header")]
    public Task<HttpResponseMessage> StaticHeader() => Send(_staticHeader);

    [Benchmark(Description = "IdentityGuard AccessTokenHandler (cache hit)")]
    public Task<HttpResponseMessage> IdentityGuardHandler() => Send(_identityGuard);

    [Benchmark(Description = "IdentityGuard as AddIdentityGuardAccessToken wires it (same-origin redirect handler + AccessTokenHandler)")]
    public Task<HttpResponseMessage> IdentityGuardWired() => Send(_wired);

    [GlobalCleanup]
    public void Dispose()
    {
        _identityGuard.Dispose();
        _staticHeader.Dispose();
        _wired.Dispose();
        _source.Dispose();
        GC.SuppressFinalize(this);
    }

    private static async Task<HttpResponseMessage> Send(HttpMessageInvoker invoker)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, s_address);
        return await invoker.SendAsync(request, CancellationToken.None).ConfigureAwait(false);
    }

    private sealed class StaticHeaderHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "benchmark-token-value");
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class OkHandler : HttpMessageHandler
    {
        private static readonly Task<HttpResponseMessage> s_ok = Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => s_ok;
    }
}
