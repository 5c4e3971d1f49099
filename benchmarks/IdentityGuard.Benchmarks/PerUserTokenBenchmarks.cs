using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using IdentityGuard.Audit;
using IdentityGuard.Federation;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace IdentityGuard.Benchmarks;

/// <summary>
/// A warm token, side by side: IdentityGuard's client-credentials cache hit, MSAL's warm
/// <c>AcquireTokenForClient</c>, and a per-user token from the vault (warm in memory, checked against the store on
/// every call, and for a request whose workload access token was just issued), and the per-user token as agent code
/// gets it: a generated accessor's <c>OAuth2TokenSource.GetAsync</c> through <see cref="UserFederation"/> to the vault.
/// </summary>
[MemoryDiagnoser]
public class PerUserTokenBenchmarks : IDisposable
{
    private static readonly string[] s_scopes = ["crm.notes.read"];
    private static readonly string[] s_msalScopes = ["https://api.example/.default"];
    private static readonly Func<RefreshToken, CancellationToken, Task<TokenRefreshResult>> s_noRefresh =
        (_, _) => throw new InvalidOperationException("a warm token needs no refresh");

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ig-bench-" + Guid.NewGuid().ToString("N"));
    private OAuth2TokenSource _clientCredentials = null!;
    private IConfidentialClientApplication _msal = null!;
    private WorkloadIdentity _identity = null!;
    private SqliteGrantStore _store = null!;
    private TokenVault _vault = null!;
    private TokenVault _vaultCheckingEveryCall = null!;
    private WorkloadAccessToken _alice = null!;
    private ServiceProvider _agent = null!;
    private OAuth2TokenSource _userFederation = null!;

    [GlobalSetup]
    public void Setup()
    {
        var descriptor = new ProviderDescriptor("Reports", CredentialKind.OAuth2) { Scopes = [new ScopeDescriptor("SalesRead", "sales.read")] };
        _clientCredentials = new ClientCredentialsTokenSource(descriptor, new FixedTokenClient(), TimeProvider.System, TimeSpan.FromMinutes(1), NullLogger.Instance);
        _clientCredentials.GetAsync(1).AsTask().GetAwaiter().GetResult();

        _msal = ConfidentialClientApplicationBuilder.Create("benchmark-client")
            .WithClientSecret("benchmark-secret")
            .WithAuthority("https://login.microsoftonline.com/benchmark-tenant")
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(new TokenEndpointStandIn())
            .Build();
        _msal.AcquireTokenForClient(s_msalScopes).ExecuteAsync().GetAwaiter().GetResult();

        // The default registration: the audit goes to the log, whose Information level is off here.
        var audit = new AuditLog([new LoggerAuditSink(NullLoggerFactory.Instance)], TimeProvider.System, NullLogger<AuditLog>.Instance);
        var dataProtection = new EphemeralDataProtectionProvider();
        _identity = new WorkloadIdentity(Options.Create(new WorkloadIdentityOptions { WorkloadName = "benchmark-agent" }), dataProtection, audit, TimeProvider.System);
        _store = new SqliteGrantStore(Options.Create(new SqliteGrantStoreOptions { DatabasePath = Path.Combine(_folder, "vault.db") }));
        _vault = new TokenVault(_identity, _store, dataProtection, audit, TimeProvider.System, Options.Create(new TokenVaultOptions()), NullLogger<TokenVault>.Instance);
        _vaultCheckingEveryCall = new TokenVault(_identity, _store, dataProtection, audit, TimeProvider.System, Options.Create(new TokenVaultOptions { StoreCheckInterval = TimeSpan.Zero }), NullLogger<TokenVault>.Instance);

        _alice = _identity.IssueForVerifiedUser("https://idp.example", "alice", TimeSpan.FromHours(12));
        var grant = new Grant("Crm", s_scopes, new AccessToken("benchmark-user-token", "Bearer", DateTimeOffset.UtcNow.AddDays(1)), new RefreshToken("benchmark-refresh-token"));
        _vault.StoreGrantAsync(_alice, grant).GetAwaiter().GetResult();
        _vault.GetAccessTokenAsync(_alice, "Crm", s_scopes, s_noRefresh).GetAwaiter().GetResult();
        _vaultCheckingEveryCall.GetAccessTokenAsync(_alice, "Crm", s_scopes, s_noRefresh).GetAwaiter().GetResult();
        SetUpAgent();
    }

    /// <summary>An agent as AddIdentityGuard wires it, with a user-federation provider and a grant for Alice.</summary>
    private void SetUpAgent()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new System.Collections.Generic.Dictionary<string, string?>
        {
            ["IdentityGuard:Consent:RedirectUri"] = "http://127.0.0.1:5999/consent/callback",
        }).Build();
        var manifest = new CredentialManifest("benchmark-agent", [new ProviderDescriptor("Crm", CredentialKind.OAuth2)
        {
            Flow = OAuthFlow.UserFederation,
            DiscoveryUrl = "https://idp.example/.well-known/openid-configuration",
            ClientId = ValueReference.Literal("benchmark-agent"),
            Scopes = [new ScopeDescriptor("NotesRead", s_scopes[0])],
        }]);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddIdentityGuardRuntime(configuration, manifest)
            .AddVault(vault => vault.DatabasePath = Path.Combine(_folder, "agent-vault.db"))
            .AddUserFederation();
        _agent = services.BuildServiceProvider();

        var identity = _agent.GetRequiredService<WorkloadIdentity>();
        var alice = identity.IssueForVerifiedUser("https://idp.example", "alice", TimeSpan.FromHours(12));
        var grant = new Grant("Crm", s_scopes, new AccessToken("benchmark-user-token", "Bearer", DateTimeOffset.UtcNow.AddDays(1)), new RefreshToken("benchmark-refresh-token"));
        _agent.GetRequiredService<TokenVault>().StoreGrantAsync(alice, grant).GetAwaiter().GetResult();
        _userFederation = _agent.GetRequiredService<CredentialProviderRegistry>().GetOAuth2TokenSource("Crm");

        // As UseIdentityGuardWorkloadContext does once per request; set here (synchronously, so it stays on this thread's
        // context) it holds for every benchmark call, which throws if it does not.
        WorkloadContext.Use(alice);
        _userFederation.GetAsync(1).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "client credentials: OAuth2TokenSource.GetAsync (cache hit)")]
    public ValueTask<AccessToken> ClientCredentialsHit() => _clientCredentials.GetAsync(1);

    [Benchmark(Description = "MSAL 4.92.0: AcquireTokenForClient (cache hit)")]
    public Task<AuthenticationResult> MsalClientCredentialsHit() => _msal.AcquireTokenForClient(s_msalScopes).ExecuteAsync();

    [Benchmark(Description = "per-user: TokenVault.GetAccessTokenAsync (warm, in memory)")]
    public Task<AccessToken> VaultWarm() => _vault.GetAccessTokenAsync(_alice, "Crm", s_scopes, s_noRefresh);

    [Benchmark(Description = "per-user: TokenVault.GetAccessTokenAsync (StoreCheckInterval = 0: reads the row every call)")]
    public Task<AccessToken> VaultCheckingTheStoreEveryCall() => _vaultCheckingEveryCall.GetAccessTokenAsync(_alice, "Crm", s_scopes, s_noRefresh);

    [Benchmark(Description = "per-user: a request's first token (IssueForVerifiedUser + GetAccessTokenAsync)")]
    public Task<AccessToken> VaultFirstCallOfARequest() =>
        _vault.GetAccessTokenAsync(_identity.IssueForVerifiedUser("https://idp.example", "alice"), "Crm", s_scopes, s_noRefresh);

    [Benchmark(Description = "per-user: OAuth2TokenSource.GetAsync of a user-federation provider (warm: accessor -> UserFederation -> vault)")]
    public ValueTask<AccessToken> UserFederationWarm() => _userFederation.GetAsync(1);

    [GlobalCleanup]
    public void Dispose()
    {
        _clientCredentials.Dispose();
        _vault.Dispose();
        _vaultCheckingEveryCall.Dispose();
        _store.Dispose();
        _agent.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Answers MSAL's one token request; after that MSAL serves from its cache.</summary>
    private sealed class TokenEndpointStandIn : IMsalHttpClientFactory
    {
        private static readonly HttpClient s_client = new(new Answer());

        public HttpClient GetHttpClient() => s_client;

        private sealed class Answer : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent("""{"token_type":"Bearer","expires_in":86400,"access_token":"benchmark-msal-token"}""", Encoding.UTF8, "application/json"),
                });
        }
    }
}
