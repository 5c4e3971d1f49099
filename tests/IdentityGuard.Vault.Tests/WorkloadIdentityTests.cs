using System;
using System.Text.Json;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Workload;
using Microsoft.Extensions.Options;
using Xunit;

namespace IdentityGuard.Vault.Tests;

public sealed class WorkloadIdentityTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly VaultHarness _harness;

    public WorkloadIdentityTests()
    {
        _harness = new VaultHarness(() => new SqliteGrantStore(Options.Create(new SqliteGrantStoreOptions { DatabasePath = _folder.File("vault.db") })));
    }

    public void Dispose()
    {
        _harness.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void Issued_token_validates_to_workload_and_derived_user_key()
    {
        var token = _harness.Identity.IssueForVerifiedUser("https://idp.example", "alice");

        var principal = _harness.Identity.Validate(token);

        Assert.Equal(_harness.Workload, principal.Workload);
        Assert.Equal(WorkloadIdentity.DeriveUserKey("https://idp.example", "alice"), principal.UserKey);
        Assert.Equal(_harness.Time.GetUtcNow() + TimeSpan.FromMinutes(15), principal.ExpiresAt);
        Assert.StartsWith(WorkloadIdentity.TokenPrefix, token.RevealValue(), StringComparison.Ordinal);
        Assert.Equal(1, _harness.Count(AuditEventKind.WorkloadTokenIssued));
    }

    [Fact]
    public void Same_subject_at_two_identity_providers_is_two_users()
    {
        var a = _harness.Identity.Validate(_harness.Identity.IssueForVerifiedUser("https://idp-one.example", "alice"));
        var b = _harness.Identity.Validate(_harness.Identity.IssueForVerifiedUser("https://idp-two.example", "alice"));

        Assert.NotEqual(a.UserKey, b.UserKey);
        Assert.DoesNotContain("alice", a.UserKey, StringComparison.Ordinal);

        // Length-prefixing keeps ("ab", "c") and ("a", "bc") apart.
        Assert.NotEqual(WorkloadIdentity.DeriveUserKey("ab", "c"), WorkloadIdentity.DeriveUserKey("a", "bc"));
    }

    [Fact]
    public void Trusted_user_token_carries_the_given_user_key()
    {
        var key = WorkloadIdentity.DeriveUserKey("https://idp.example", "alice");

        var principal = _harness.Identity.Validate(_harness.Identity.IssueForTrustedUser(key, TimeSpan.FromHours(2)));

        Assert.Equal(key, principal.UserKey);
        Assert.Equal(_harness.Time.GetUtcNow() + TimeSpan.FromHours(2), principal.ExpiresAt);
    }

    [Fact]
    public void Expired_token_is_rejected_every_time_it_is_replayed()
    {
        var token = _harness.Identity.IssueForVerifiedUser("https://idp.example", "alice", TimeSpan.FromMinutes(5));
        _harness.Identity.Validate(token);

        _harness.Time.Advance(TimeSpan.FromMinutes(5));

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var ex = Assert.Throws<WorkloadAccessTokenException>(() => _harness.Identity.Validate(new WorkloadAccessToken(token.RevealValue())));
            Assert.Equal(WorkloadAccessTokenFailure.Expired, ex.Failure);
        }

        Assert.Contains(_harness.Trail.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "workload_token_expired");
    }

    [Fact]
    public void Token_of_another_workload_is_rejected_even_with_shared_keys()
    {
        var other = _harness.NewIdentity("another-agent");
        var foreign = other.IssueForVerifiedUser("https://idp.example", "alice");

        var ex = Assert.Throws<WorkloadAccessTokenException>(() => _harness.Identity.Validate(foreign));

        Assert.Equal(WorkloadAccessTokenFailure.Invalid, ex.Failure);
    }

    [Fact]
    public void Tampered_token_is_rejected()
    {
        var value = _harness.Alice().RevealValue();
        var middle = WorkloadIdentity.TokenPrefix.Length + ((value.Length - WorkloadIdentity.TokenPrefix.Length) / 2);
        var tampered = value[..middle] + (value[middle] == 'A' ? 'B' : 'A') + value[(middle + 1)..];

        var ex = Assert.Throws<WorkloadAccessTokenException>(() => _harness.Identity.Validate(new WorkloadAccessToken(tampered)));

        Assert.Equal(WorkloadAccessTokenFailure.Invalid, ex.Failure);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("igw1.")]
    [InlineData("igw1.!!!")]
    [InlineData("igw1.AAAA")]
    public void Garbage_is_rejected_with_a_typed_error(string value)
    {
        var ex = Assert.Throws<WorkloadAccessTokenException>(() => _harness.Identity.Validate(new WorkloadAccessToken(value)));

        Assert.True(ex.Failure is WorkloadAccessTokenFailure.Malformed or WorkloadAccessTokenFailure.Invalid);
    }

    [Fact]
    public void Token_is_redacted_in_text_and_json()
    {
        var token = _harness.Alice();

        Assert.DoesNotContain(token.RevealValue(), token.ToString(), StringComparison.Ordinal);
        var json = JsonSerializer.Serialize(new { token });
        Assert.DoesNotContain(token.RevealValue(), json, StringComparison.Ordinal);
        Assert.Contains("[redacted]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Lifetime_beyond_the_maximum_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _harness.Identity.IssueForTrustedUser("user-1", TimeSpan.FromDays(2)));
    }

    [Fact]
    public async Task User_B_cannot_reach_user_A_grants()
    {
        await _harness.Vault.StoreGrantAsync(_harness.Alice(), _harness.NewGrant("alice-access-token", "alice-refresh-token", TimeSpan.FromHours(1)));

        Assert.Null(await _harness.Vault.GetGrantAsync(_harness.Bob(), VaultHarness.Provider));
        var ex = await Assert.ThrowsAsync<GrantUnavailableException>(() => _harness.Vault.GetAccessTokenAsync(
            _harness.Bob(), VaultHarness.Provider, ["crm.notes.read"], (_, _) => throw new InvalidOperationException("must not refresh")));
        Assert.Equal(GrantUnavailableReason.NoGrant, ex.Reason);
        Assert.False(await _harness.Vault.RevokeAsync(_harness.Bob(), VaultHarness.Provider));
        Assert.NotNull(await _harness.Vault.GetGrantAsync(_harness.Alice(), VaultHarness.Provider));
    }

    [Fact]
    public async Task Vault_refuses_an_expired_or_foreign_workload_token()
    {
        var alice = _harness.Alice();
        await _harness.Vault.StoreGrantAsync(alice, _harness.NewGrant("alice-access-token", null, TimeSpan.FromHours(2)));
        var foreign = _harness.NewIdentity("another-agent").IssueForVerifiedUser("https://idp.example", "alice");

        await Assert.ThrowsAsync<WorkloadAccessTokenException>(() => _harness.Vault.GetGrantAsync(foreign, VaultHarness.Provider));

        _harness.Time.Advance(TimeSpan.FromMinutes(16));
        var ex = await Assert.ThrowsAsync<WorkloadAccessTokenException>(() => _harness.Vault.GetGrantAsync(alice, VaultHarness.Provider));
        Assert.Equal(WorkloadAccessTokenFailure.Expired, ex.Failure);
    }
}
