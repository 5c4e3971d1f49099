using System;
using System.Threading.Tasks;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using IdentityGuard.Tests.Caching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IdentityGuard.Tests.Providers;

/// <summary>The credential use policy seam: consulted where tokens are handed out, free when absent, restored and ended with its scope.</summary>
public sealed class CredentialUsePolicyTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeTokenClient _client;
    private readonly OAuth2TokenSource _source;

    public CredentialUsePolicyTests()
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
    public async Task A_refused_token_is_never_requested()
    {
        using (CredentialUsePolicy.Enter(new OnlyMask(1)))
        {
            Assert.NotNull(await _source.GetAsync(1));
            var refused = await Assert.ThrowsAsync<CredentialNotDeclaredException>(() => _source.GetAsync(2).AsTask());
            Assert.Equal("Reports", refused.Provider);
        }

        Assert.Equal(1, _client.Calls);
        Assert.Null(CredentialUsePolicy.Current);
    }

    [Fact]
    public async Task A_policy_entered_inside_another_cannot_widen_it()
    {
        // Code running under a tool's policy enters one that permits everything: the outer policy still holds.
        using (CredentialUsePolicy.Enter(new OnlyMask(1)))
        using (CredentialUsePolicy.Enter(new OnlyMask(1 | 2)))
        {
            Assert.NotNull(await _source.GetAsync(1));
            await Assert.ThrowsAsync<CredentialNotDeclaredException>(() => _source.GetAsync(2).AsTask());
        }

        Assert.Equal(1, _client.Calls);
        Assert.Null(CredentialUsePolicy.Current);
    }

    [Fact]
    public void A_policy_object_is_entered_only_once()
    {
        var policy = new OnlyMask(1);
        using (CredentialUsePolicy.Enter(policy))
        {
            Assert.Throws<InvalidOperationException>(() => CredentialUsePolicy.Enter(policy));
        }
    }

    [Fact]
    public async Task An_ended_policy_stays_ended_for_work_that_kept_it()
    {
        var policy = new OnlyMask(1);
        Task<Exception?> leftBehind;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (CredentialUsePolicy.Enter(policy))
        {
            leftBehind = Task.Run(async () =>
            {
                await release.Task;
                try
                {
                    await _source.GetAsync(1);
                    return null;
                }
                catch (CredentialUnavailableException ex)
                {
                    return (Exception)ex;
                }
            });
        }

        Assert.True(policy.IsEnded);
        release.SetResult();
        Assert.IsType<CredentialNotDeclaredException>(await leftBehind);
    }

    [Fact]
    public async Task Without_a_policy_a_warm_token_allocates_nothing()
    {
        await _source.GetAsync(1);
        for (var i = 0; i < 100; i++)
        {
            await _source.GetAsync(1);
        }

        Assert.Equal(0, AllocatedByWarmCalls(_source, 1000));
    }

    /// <summary>Bytes this thread allocates for <paramref name="calls"/> warm calls, each completed on return.</summary>
    private static long AllocatedByWarmCalls(OAuth2TokenSource source, int calls)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            var token = source.GetAsync(1);
            if (!token.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("A warm token must be served synchronously.");
            }
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>Permits exactly the scope bits of one mask, and nothing once ended.</summary>
    private sealed class OnlyMask(ulong mask) : CredentialUsePolicy
    {
        public override bool Permits(in CredentialRequest request) => !IsEnded && request.ScopeValues is null && (request.ScopeMask & ~mask) == 0 && request.ScopeMask != 0;

        public override CredentialUnavailableException Refuse(in CredentialRequest request) =>
            new CredentialNotDeclaredException(request.Provider, "the test", "a wider mask", $"it asked for 0x{request.ScopeMask:X}");
    }
}
