using System;
using System.Collections.Generic;
using IdentityGuard.Audit;
using IdentityGuard.Authorization;
using IdentityGuard.Mcp.Workload;
using IdentityGuard.Workload;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace IdentityGuard.Mcp.Tests;

/// <summary>Reusing one workload access token per verified inbound token: never across users, never past either token's life.</summary>
public sealed class WorkloadTokenReuseTests
{
    private const string Issuer = "https://login.example.com/";
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly WorkloadIdentity _identity;
    private readonly WorkloadTokenReuse _reuse;

    public WorkloadTokenReuseTests()
    {
        _identity = new WorkloadIdentity(
            Options.Create(new WorkloadIdentityOptions { WorkloadName = "mcp-crm-server" }),
            new EphemeralDataProtectionProvider(),
            new AuditLog([], _clock, NullLogger<AuditLog>.Instance),
            _clock);
        _reuse = new WorkloadTokenReuse(_identity, _clock);
    }

    [Fact]
    public void Calls_with_the_same_verified_token_share_one_workload_token()
    {
        var maria = Caller("maria", "token-of-maria", TimeSpan.FromHours(1));

        var first = _reuse.For(maria);
        var second = _reuse.For(Caller("maria", "token-of-maria", TimeSpan.FromHours(1)));

        Assert.Same(first, second);
    }

    [Fact]
    public void A_second_user_never_receives_the_first_users_workload_token()
    {
        var maria = _reuse.For(Caller("maria", "token-of-maria", TimeSpan.FromHours(1)));

        var sam = _reuse.For(Caller("sam", "token-of-sam", TimeSpan.FromHours(1)));

        Assert.NotSame(maria, sam);
        Assert.Equal(WorkloadIdentity.DeriveUserKey(Issuer, "sam"), _identity.Validate(sam).UserKey);
        Assert.Equal(WorkloadIdentity.DeriveUserKey(Issuer, "maria"), _identity.Validate(maria).UserKey);

        // Maria's next call still gets her own.
        Assert.Equal(WorkloadIdentity.DeriveUserKey(Issuer, "maria"), _identity.Validate(_reuse.For(Caller("maria", "token-of-maria", TimeSpan.FromHours(1)))).UserKey);
    }

    [Fact]
    public void An_expired_inbound_token_is_not_served_from_the_reuse()
    {
        var first = _reuse.For(Caller("maria", "short-lived-token", TimeSpan.FromMinutes(2)));

        // The authorizer may still accept the token within its clock skew; the reuse does not.
        _clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var later = _reuse.For(Caller("maria", "short-lived-token", TimeSpan.FromMinutes(2), expiresAt: _clock.GetUtcNow() - TimeSpan.FromSeconds(1)));

        Assert.NotSame(first, later);
        Assert.Equal(0, _reuse.Count);
    }

    [Fact]
    public void A_workload_token_is_served_only_while_half_its_life_is_ahead()
    {
        var first = _reuse.For(Caller("maria", "token-of-maria", TimeSpan.FromHours(1)));
        _clock.Advance(TimeSpan.FromMinutes(7));
        Assert.Same(first, _reuse.For(Caller("maria", "token-of-maria", TimeSpan.FromHours(1))));

        // The default lifetime is 15 minutes: after 7.5 the token is not handed out again.
        _clock.Advance(TimeSpan.FromMinutes(1));
        var renewed = _reuse.For(Caller("maria", "token-of-maria", TimeSpan.FromHours(1)));

        Assert.NotSame(first, renewed);
        Assert.True(_identity.Validate(renewed).ExpiresAt - _clock.GetUtcNow() >= TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Memory_is_bounded()
    {
        for (var i = 0; i < WorkloadTokenReuse.Capacity + 50; i++)
        {
            _reuse.For(Caller("user" + i, "token-" + i, TimeSpan.FromHours(1)));
        }

        Assert.Equal(WorkloadTokenReuse.Capacity, _reuse.Count);

        // Once the held entries are due, a new caller's entry takes the room of expired ones.
        _clock.Advance(TimeSpan.FromMinutes(8));
        var fresh = _reuse.For(Caller("late", "token-late", TimeSpan.FromHours(1)));
        Assert.Equal(1, _reuse.Count);
        Assert.Same(fresh, _reuse.For(Caller("late", "token-late", TimeSpan.FromHours(1))));
    }

    private VerifiedCaller Caller(string subject, string token, TimeSpan validFor, DateTimeOffset? expiresAt = null)
    {
        var expiry = expiresAt ?? _clock.GetUtcNow() + validFor;
        return new VerifiedCaller(
            subject,
            Issuer,
            "desktop-assistant",
            ["crm.mcp"],
            ["https://mcp.example.com/mcp"],
            expiry,
            new Dictionary<string, IReadOnlyList<string>>(),
            new InboundAccessToken(token, expiry));
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
