using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Consent;
using IdentityGuard.Demo;
using IdentityGuard.Federation;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace IdentityGuard.Tests.Federation;

/// <summary>
/// The shape of a user token request: the store is read once per request whether a token or a consent comes out of
/// it, and a warm token reaches agent code through the generated accessor's path without allocating.
/// </summary>
public sealed class UserFederationPathTests
{
    private static readonly string[] s_read = [DemoApi.SalesReadScope];
    private static readonly string[] s_readWrite = [DemoApi.SalesReadScope, DemoApi.SalesWriteScope];

    [Fact]
    public async Task A_request_without_a_grant_reads_the_store_once_before_asking_for_consent()
    {
        var reads = new ReadCounter();
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false, configureAgent: reads.Install);
        var alice = env.SignIn("alice");

        reads.Reset();
        var required = await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));

        Assert.Equal(s_read, required.Request!.Scopes);
        Assert.Equal(1, reads.Count);
    }

    [Fact]
    public async Task An_incremental_consent_reads_the_store_once_and_asks_only_for_the_new_scopes()
    {
        var reads = new ReadCounter();
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false, configureAgent: reads.Install);
        var alice = env.SignIn("alice");
        var first = await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));
        await env.Browser.ApproveAsync(first.Request!, "alice");

        reads.Reset();
        var more = await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_readWrite));

        Assert.Equal([DemoApi.SalesWriteScope], more.Request!.Scopes);
        Assert.Contains(DemoApi.SalesReadScope, more.Request.RequestedScopes);
        Assert.Equal(1, reads.Count);
    }

    [Fact]
    public async Task A_warm_user_token_through_the_accessor_path_allocates_nothing()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ig-path-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var agent = BuildAgent(folder);
            var identity = agent.GetRequiredService<WorkloadIdentity>();
            var alice = identity.IssueForVerifiedUser("https://idp.example", "alice", TimeSpan.FromHours(1));
            var grant = new Grant("Crm", s_read, new AccessToken("alice-crm-token", "Bearer", DateTimeOffset.UtcNow.AddHours(1)), new RefreshToken("alice-refresh"));
            await agent.GetRequiredService<TokenVault>().StoreGrantAsync(alice, grant);
            var source = agent.GetRequiredService<CredentialProviderRegistry>().GetOAuth2TokenSource("Crm");

            using (WorkloadContext.Use(alice))
            {
                for (var i = 0; i < 50; i++)
                {
                    Assert.Equal("alice-crm-token", (await source.GetAsync(1)).RevealValue());
                }

                Assert.Equal(0, AllocatedByWarmCalls(source, 100));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Bytes this thread allocates for <paramref name="calls"/> warm calls, each completed on return.</summary>
    private static long AllocatedByWarmCalls(OAuth2TokenSource source, int calls)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            var task = source.GetAsync(1).AsTask();
            if (!task.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("A warm token must be served synchronously.");
            }
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static ServiceProvider BuildAgent(string folder)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IdentityGuard:Consent:RedirectUri"] = "http://127.0.0.1:5999/consent/callback",
        }).Build();
        var manifest = new CredentialManifest("path-agent", [new ProviderDescriptor("Crm", CredentialKind.OAuth2)
        {
            Flow = OAuthFlow.UserFederation,
            DiscoveryUrl = "https://idp.example/.well-known/openid-configuration",
            ClientId = ValueReference.Literal("path-agent"),
            Scopes = [new ScopeDescriptor("Read", DemoApi.SalesReadScope)],
        }]);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddIdentityGuardRuntime(configuration, manifest)
            .AddVault(vault => vault.DatabasePath = Path.Combine(folder, "vault.db"))
            .AddUserFederation();
        return services.BuildServiceProvider();
    }

    /// <summary>Counts grant reads of the agent's real SQLite store.</summary>
    private sealed class ReadCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Reset() => Interlocked.Exchange(ref _count, 0);

        public void Install(IServiceCollection services) =>
            services.AddSingleton<IGrantStore>(sp => new CountingStore(
                new SqliteGrantStore(Options.Create(new SqliteGrantStoreOptions { DatabasePath = sp.GetRequiredService<IOptions<IdentityGuardVaultOptions>>().Value.DatabasePath ?? throw new InvalidOperationException("the test agent sets a database path") })),
                this));

        private sealed class CountingStore(SqliteGrantStore inner, ReadCounter counter) : IGrantStore, IPendingAuthorizationStore, IDisposable
        {
            public Task<StoredGrant?> GetAsync(GrantKey key, CancellationToken cancellationToken = default)
            {
                Interlocked.Increment(ref counter._count);
                return inner.GetAsync(key, cancellationToken);
            }

            public Task<long?> TryWriteAsync(GrantKey key, byte[] protectedData, long? expectedVersion, CancellationToken cancellationToken = default) => inner.TryWriteAsync(key, protectedData, expectedVersion, cancellationToken);

            public Task<bool> DeleteAsync(GrantKey key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

            public Task<bool> TryAcquireLeaseAsync(GrantKey key, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default) => inner.TryAcquireLeaseAsync(key, owner, now, duration, cancellationToken);

            public Task ReleaseLeaseAsync(GrantKey key, string owner, CancellationToken cancellationToken = default) => inner.ReleaseLeaseAsync(key, owner, cancellationToken);

            public Task<PendingAuthorizationAdmission> AddAsync(PendingAuthorizationKey key, PendingAuthorizationEntry entry, PendingAuthorizationLimits limits, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.AddAsync(key, entry, limits, now, cancellationToken);

            public Task<byte[]?> TakeAsync(PendingAuthorizationKey key, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.TakeAsync(key, now, cancellationToken);

            public Task WriteOutcomeAsync(PendingAuthorizationKey key, PendingAuthorizationOutcome outcome, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) => inner.WriteOutcomeAsync(key, outcome, expiresAt, cancellationToken);

            public Task<PendingAuthorizationOutcome?> TakeOutcomeAsync(PendingAuthorizationKey key, CancellationToken cancellationToken = default) => inner.TakeOutcomeAsync(key, cancellationToken);

            public Task<int> CountAsync(string workload, string? userKey, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.CountAsync(workload, userKey, now, cancellationToken);

            public void Dispose() => inner.Dispose();
        }
    }
}
