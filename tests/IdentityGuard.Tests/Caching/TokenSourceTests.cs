using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IdentityGuard.Tests.Caching;

public sealed class TokenSourceTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeTokenClient _client;
    private readonly OAuth2TokenSource _source;

    public TokenSourceTests()
    {
        _client = new FakeTokenClient(_time);
        var descriptor = new ProviderDescriptor("Reports", CredentialKind.OAuth2)
        {
            Flow = OAuthFlow.M2M,
            Scopes = [new ScopeDescriptor("SalesRead", "sales.read"), new ScopeDescriptor("SalesWrite", "sales.write")],
        };
        _source = new ClientCredentialsTokenSource(descriptor, _client, _time, TimeSpan.FromMinutes(1), NullLogger.Instance);
    }

    public void Dispose() => _source.Dispose();

    [Fact]
    public async Task A_thousand_concurrent_callers_cause_exactly_one_token_request()
    {
        _client.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = Enumerable.Range(0, 1000)
            .Select(_ => Task.Run(async () => await _source.GetAsync(1)))
            .ToArray();

        // Every caller is parked on the single in-flight request before it is allowed to finish.
        await WaitUntil(() => _client.Calls == 1);
        await Task.Delay(50);
        _client.Gate.SetResult();
        var tokens = await Task.WhenAll(callers);

        Assert.Equal(1, _client.Calls);
        Assert.All(tokens, token => Assert.Same(tokens[0], token));
    }

    [Fact]
    public async Task A_cancelling_caller_does_not_fail_the_others()
    {
        _client.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var impatient = new CancellationTokenSource();
        var first = _source.GetAsync(1, impatient.Token).AsTask();
        var second = _source.GetAsync(1).AsTask();

        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        _client.Gate.SetResult();
        var token = await second;
        Assert.Equal("token-1", token.RevealValue());
        Assert.Equal(1, _client.Calls);
    }

    [Fact]
    public async Task Cached_tokens_are_reused_until_shortly_before_expiry()
    {
        var first = await _source.GetAsync(1);
        _time.Advance(TimeSpan.FromMinutes(58));
        Assert.Same(first, await _source.GetAsync(1));

        // Inside the one-minute renewal margin: renewed before it expires.
        _time.Advance(TimeSpan.FromSeconds(61));
        var renewed = await _source.GetAsync(1);
        Assert.NotSame(first, renewed);
        Assert.Equal(2, _client.Calls);
    }

    [Fact]
    public async Task The_renewal_margin_is_capped_for_short_lived_tokens()
    {
        _client.Lifetime = TimeSpan.FromSeconds(8);
        var first = await _source.GetAsync(1);

        // A one-minute margin would make an eight-second token useless; a quarter of its lifetime is used.
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Same(first, await _source.GetAsync(1));
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.NotSame(first, await _source.GetAsync(1));
    }

    [Fact]
    public async Task Each_scope_set_has_its_own_token()
    {
        var read = await _source.GetAsync(1);
        var both = await _source.GetAsync(3);
        Assert.Equal("sales.read", read.Scope);
        Assert.Equal("sales.read sales.write", both.Scope);
        Assert.Equal(2, _client.Calls);
    }

    [Fact]
    public async Task A_failed_renewal_keeps_serving_the_still_valid_token()
    {
        var first = await _source.GetAsync(1);
        _time.Advance(TimeSpan.FromMinutes(59.5));
        _client.Failure = new TokenRequestException("Reports", "temporarily_unavailable", null, System.Net.HttpStatusCode.ServiceUnavailable);

        Assert.Same(first, await _source.GetAsync(1));

        // Once it has truly expired, the failure surfaces.
        _time.Advance(TimeSpan.FromMinutes(1));
        await Assert.ThrowsAsync<TokenRequestException>(async () => await _source.GetAsync(1));
    }

    [Fact]
    public async Task Failures_are_not_cached()
    {
        _client.Failure = new TokenRequestException("Reports", "invalid_client", null, System.Net.HttpStatusCode.BadRequest);
        await Assert.ThrowsAsync<TokenRequestException>(async () => await _source.GetAsync(1));

        _client.Failure = null;
        var token = await _source.GetAsync(1);
        Assert.Equal(2, _client.Calls);
        Assert.Equal("token-2", token.RevealValue());
    }

    [Fact]
    public async Task Unexpected_failures_are_wrapped_so_callers_see_one_exception_type()
    {
        _client.Failure = new System.Net.Http.HttpRequestException("connection refused");
        var error = await Assert.ThrowsAsync<TokenRequestException>(async () => await _source.GetAsync(1));
        Assert.Equal("Reports", error.Provider);
        Assert.Equal("transport_error", error.Error);
    }

    [Fact]
    public async Task Invalidate_drops_only_the_token_it_names()
    {
        var first = await _source.GetAsync(1);
        var stranger = new IdentityGuard.Tokens.AccessToken("other", "Bearer", _time.GetUtcNow().AddHours(1));

        _source.Invalidate(1, stranger);
        Assert.Same(first, await _source.GetAsync(1));

        _source.Invalidate(1, first);
        Assert.NotSame(first, await _source.GetAsync(1));
    }

    [Fact]
    public async Task Undeclared_scope_bits_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await _source.GetAsync(1UL << 2));
        Assert.Equal(0, _client.Calls);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
