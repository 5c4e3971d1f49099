using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Consent;
using IdentityGuard.Demo;
using IdentityGuard.Providers;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IdentityGuard.Tests.Federation;

/// <summary>
/// Several instances of one agent behind one redirect URI: the callback of a consent may reach any of them. Pending
/// authorizations live in the shared grant store, encrypted, single use and bounded per user and per agent.
/// </summary>
public sealed class ScaleOutConsentTests
{
    private static readonly string[] s_read = [DemoApi.SalesReadScope];

    private static readonly Dictionary<string, string?> s_fastWait = new()
    {
        ["IdentityGuard:Consent:Timeout"] = "00:00:30",
        ["IdentityGuard:Consent:CompletionPollInterval"] = "00:00:00.100",
    };

    [Fact]
    public async Task A_consent_started_on_one_instance_is_completed_by_the_callback_on_another()
    {
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var other = env.StartAnotherInstance();
        var alice = env.SignIn("alice");
        var required = await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));

        // The load balancer sends Alice's browser, back from the provider, to the other instance.
        env.Browser.CallbackAuthority = other.CallbackAddress;
        Assert.Equal(HttpStatusCode.OK, await env.Browser.ApproveAsync(required.Request!, "alice"));

        var token = await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);
        Assert.Contains(DemoApi.SalesReadScope, token.Scope, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_waiting_on_one_instance_resumes_when_the_callback_lands_on_another()
    {
        await using var env = await FederationEnvironment.StartAsync(settings: s_fastWait);
        var other = env.StartAnotherInstance();
        env.Browser.CallbackAuthority = other.CallbackAddress;
        var alice = env.SignIn("alice");

        var token = await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);

        Assert.Contains(DemoApi.SalesReadScope, token.Scope, StringComparison.Ordinal);
        Assert.Equal(1, env.Browser.Presented);
    }

    [Fact]
    public async Task A_refusal_on_another_instance_ends_the_waiting_request_as_denied()
    {
        await using var env = await FederationEnvironment.StartAsync(settings: s_fastWait);
        var other = env.StartAnotherInstance();
        env.Browser.CallbackAuthority = other.CallbackAddress;
        var mallory = env.SignIn("mallory");

        var denied = await Assert.ThrowsAsync<ConsentDeniedException>(() => env.Federation.GetAccessTokenAsync(mallory, FederationEnvironment.Provider, s_read));

        Assert.Equal("access_denied", denied.Error);
    }

    [Fact]
    public async Task Another_user_approving_a_forwarded_link_on_another_instance_is_refused_there_and_the_waiter_is_told()
    {
        // The nonce and the user's identity provider travel with the stored request, so the instance that receives
        // the callback checks the ID token exactly as the one that started the consent would.
        await using var env = await FederationEnvironment.StartAsync(settings: s_fastWait);
        var other = env.StartAnotherInstance();
        env.Browser.CallbackAuthority = other.CallbackAddress;
        var alice = env.SignIn("alice");
        env.Browser.Subjects[env.Workloads.Validate(alice).UserKey] = "bob";

        var denied = await Assert.ThrowsAsync<ConsentDeniedException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));

        Assert.Equal("approver_mismatch", denied.Error);
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "approver_mismatch");
        Assert.DoesNotContain(env.Audit.Events, e => e.Kind == AuditEventKind.ConsentGranted);
    }

    [Fact]
    public async Task The_stored_request_holds_neither_its_state_nor_the_workload_access_token_in_clear()
    {
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");
        var request = await env.Federation.RequestConsentAsync(alice, FederationEnvironment.Provider, s_read);
        var state = System.Web.HttpUtility.ParseQueryString(request.AuthorizationUrl.Query)["state"]!;

        Assert.Equal(1L, await ScalarAsync(env, "SELECT count(*) FROM ig_pending_authorizations"));
        var raw = ReadDatabaseBytes(env.DatabasePath);
        // The redirect URI is one of the record's fields: finding none of them shows the record is encrypted.
        foreach (var secret in new[] { state, alice.RevealValue(), env.RedirectUri.AbsoluteUri })
        {
            Assert.False(Contains(raw, Encoding.UTF8.GetBytes(secret)), "a secret was found in clear in the vault database");
            Assert.False(Contains(raw, Encoding.Unicode.GetBytes(secret)), "a secret was found in clear (UTF-16) in the vault database");
        }
    }

    [Fact]
    public async Task A_stored_request_moved_under_another_state_does_not_decrypt_and_is_refused()
    {
        // Someone with write access to the database copies Alice's pending request (her workload access token and PKCE
        // verifier) under the state of a request whose link they hold. The record is bound to Alice's state, so the
        // callback for the other state cannot open it.
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");
        var bob = env.SignIn("bob");
        await env.Federation.RequestConsentAsync(alice, FederationEnvironment.Provider, s_read);
        var bobsRequest = await env.Federation.RequestConsentAsync(bob, FederationEnvironment.Provider, s_read);
        var aliceKey = env.Workloads.Validate(alice).UserKey;
        var bobKey = env.Workloads.Validate(bob).UserKey;
        Assert.Equal(1L, await ScalarAsync(env, $"UPDATE ig_pending_authorizations SET data = (SELECT data FROM ig_pending_authorizations WHERE user_key = '{aliceKey}'), user_key = '{aliceKey}' WHERE user_key = '{bobKey}' RETURNING 1"));

        Assert.Equal(HttpStatusCode.BadRequest, await env.Browser.ApproveAsync(bobsRequest, "bob"));

        Assert.Null(await env.Services.GetRequiredService<IdentityGuard.Vault.TokenVault>().GetGrantAsync(alice, FederationEnvironment.Provider));
        Assert.Null(await env.Services.GetRequiredService<IdentityGuard.Vault.TokenVault>().GetGrantAsync(bob, FederationEnvironment.Provider));
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "unknown_state");
    }

    [Fact]
    public async Task One_user_cannot_grow_the_pending_requests_without_bound()
    {
        // The attack: a user (or a script with their session) starts consent after consent; each one used to stay
        // until it expired. Now the user's oldest are dropped beyond the limit (20 by default).
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");
        var requests = new List<ConsentRequest>();
        for (var i = 0; i < 60; i++)
        {
            requests.Add(await env.Federation.RequestConsentAsync(alice, FederationEnvironment.Provider, s_read));
        }

        Assert.Equal(HttpStatusCode.BadRequest, await env.Browser.ApproveAsync(requests[0], "alice"));
        Assert.Equal(20L, await ScalarAsync(env, "SELECT count(*) FROM ig_pending_authorizations"));
        Assert.Equal(HttpStatusCode.OK, await env.Browser.ApproveAsync(requests[^1], "alice"));
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "unknown_state");

        // Other users are not affected by Alice's requests.
        var bob = env.SignIn("bob");
        Assert.Equal(HttpStatusCode.OK, await env.Browser.ApproveAsync(await env.Federation.RequestConsentAsync(bob, FederationEnvironment.Provider, s_read), "bob"));
    }

    [Fact]
    public async Task The_agent_refuses_new_consent_requests_beyond_its_limit_with_a_clear_error()
    {
        await using var env = await FederationEnvironment.StartAsync(
            withConsentHandler: false,
            settings: new Dictionary<string, string?> { ["IdentityGuard:Consent:MaxPendingPerWorkload"] = "3" });
        foreach (var user in new[] { "alice", "bob", "mallory" })
        {
            await env.Federation.RequestConsentAsync(env.SignIn(user), FederationEnvironment.Provider, s_read);
        }

        var refused = await Assert.ThrowsAsync<TooManyConsentRequestsException>(
            () => env.Federation.RequestConsentAsync(env.SignIn("alice"), FederationEnvironment.Provider, s_read));
        Assert.Contains("MaxPendingPerWorkload", refused.Message, StringComparison.Ordinal);

        // The token path that would start a consent is refused the same way, not turned into a consent link.
        var viaToken = await Assert.ThrowsAsync<TooManyConsentRequestsException>(
            () => env.Federation.GetAccessTokenAsync(env.SignIn("bob"), FederationEnvironment.Provider, s_read));
        Assert.Contains("MaxPendingPerWorkload", viaToken.Message, StringComparison.Ordinal);
        Assert.Equal(3L, await ScalarAsync(env, "SELECT count(*) FROM ig_pending_authorizations"));
    }

    [Fact]
    public async Task A_grant_store_that_cannot_keep_pending_authorizations_is_refused_with_a_clear_error()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        var services = new ServiceCollection();
        var identityGuard = services.AddIdentityGuardRuntime(configuration, new IdentityGuard.Manifest.CredentialManifest("custom-store-agent", []))
            .AddVault(vault => vault.DatabasePath = Path.Combine(Path.GetTempPath(), "ig-unused-" + Guid.NewGuid().ToString("N"), "vault.db"));
        services.AddSingleton<IdentityGuard.Vault.IGrantStore, GrantsOnlyStore>();
        identityGuard.AddUserFederation();
        await using var provider = services.BuildServiceProvider();

        var refused = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IdentityGuard.Federation.UserFederation>());

        Assert.Contains("IPendingAuthorizationStore", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<long> ScalarAsync(FederationEnvironment env, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={env.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static byte[] ReadDatabaseBytes(string databasePath)
    {
        var bytes = new List<byte>();
        foreach (var path in new[] { databasePath, databasePath + "-wal" })
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                bytes.AddRange(copy.ToArray());
            }
        }

        return bytes.ToArray();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>A grant store written before pending authorizations moved into the store.</summary>
    private sealed class GrantsOnlyStore : IdentityGuard.Vault.IGrantStore
    {
        public Task<IdentityGuard.Vault.StoredGrant?> GetAsync(IdentityGuard.Vault.GrantKey key, System.Threading.CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<long?> TryWriteAsync(IdentityGuard.Vault.GrantKey key, byte[] protectedData, long? expectedVersion, System.Threading.CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(IdentityGuard.Vault.GrantKey key, System.Threading.CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> TryAcquireLeaseAsync(IdentityGuard.Vault.GrantKey key, string owner, DateTimeOffset now, TimeSpan duration, System.Threading.CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task ReleaseLeaseAsync(IdentityGuard.Vault.GrantKey key, string owner, System.Threading.CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
