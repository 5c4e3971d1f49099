using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Demo;
using IdentityGuard.Federation;
using IdentityGuard.Manifest;
using IdentityGuard.Workload;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace IdentityGuard.Tests.Federation;

/// <summary>
/// A console agent acting for users against a real OpenIddict server: consent through a loopback callback
/// listener (RFC 8252), grants in a SQLite vault in a temp folder, every log record and audit event captured.
/// </summary>
internal sealed class FederationEnvironment : IAsyncDisposable
{
    public const string ClientId = "brief-agent";
    public const string Provider = "Sales";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "identityguard-federation-tests", Guid.NewGuid().ToString("N"));
    private ServiceProvider? _services;
    private LoopbackConsentListener? _listener;

    private FederationEnvironment()
    {
    }

    public string ClientSecret { get; } = Guid.NewGuid().ToString("N");

    public DemoIdentityProvider IdentityProvider { get; private set; } = null!;

    public DemoApi Api { get; private set; } = null!;

    public ScriptedBrowserConsent Browser { get; } = new();

    public InMemoryAuditTrail Audit { get; } = new();

    public IServiceProvider Services => _services!;

    public UserFederation Federation => Services.GetRequiredService<UserFederation>();

    public WorkloadIdentity Workloads => Services.GetRequiredService<WorkloadIdentity>();

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public static async Task<FederationEnvironment> StartAsync(
        bool withConsentHandler = true, Action<DemoIdentityProviderOptions>? configureServer = null, IDictionary<string, string?>? settings = null)
    {
        var environment = new FederationEnvironment();
        await environment.InitializeAsync(withConsentHandler, configureServer, settings);
        return environment;
    }

    /// <summary>
    /// A workload access token for a user the application names itself (a background job), not one verified by an
    /// identity provider: nothing but the application's own sign-in can tell who approves a consent for it.
    /// </summary>
    public WorkloadAccessToken SignInTrusted(string subject)
    {
        var token = Workloads.IssueForTrustedUser(subject);
        Browser.Subjects[Workloads.Validate(token).UserKey] = subject;
        return token;
    }

    /// <summary>
    /// A workload access token for a demo user verified by the demo identity provider (as the inbound JWT authorizer
    /// would), remembered by the scripted browser.
    /// </summary>
    public WorkloadAccessToken SignIn(string subject)
    {
        var token = Workloads.IssueForVerifiedUser(IdentityProvider.Issuer.AbsoluteUri, subject);
        Browser.Subjects[Workloads.Validate(token).UserKey] = subject;
        return token;
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        Browser.Dispose();
        await Api.DisposeAsync();
        await IdentityProvider.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftover temp files are harmless.
        }
    }

    private async Task InitializeAsync(bool withConsentHandler, Action<DemoIdentityProviderOptions>? configureServer, IDictionary<string, string?>? settings)
    {
        var redirectUri = new Uri($"http://127.0.0.1:{FreePort()}/consent/callback");
        var options = DemoIdentityProviderOptions.CreateDefault();
        var client = new DemoClient(ClientId, ClientSecret);
        client.AllowedGrantTypes.Clear();
        client.AllowedGrantTypes.Add(DemoGrantTypes.AuthorizationCode);
        client.AllowedGrantTypes.Add(DemoGrantTypes.RefreshToken);
        client.AllowedScopes.Add(DemoApi.SalesReadScope);
        client.AllowedScopes.Add(DemoApi.SalesWriteScope);
        client.RedirectUris.Add(redirectUri);
        options.Clients.Add(client);
        options.Users.Add(new DemoUser("alice", "Alice Example"));
        options.Users.Add(new DemoUser("bob", "Bob Example"));
        options.Users.Add(new DemoUser("mallory", "Mallory Example"));
        options.ConsentDecision = request => request.User.Subject != "mallory";
        configureServer?.Invoke(options);
        IdentityProvider = await DemoIdentityProvider.StartAsync(options);
        Api = await DemoApi.StartAsync(new DemoApiOptions(IdentityProvider.Issuer));

        var values = new Dictionary<string, string?>
        {
            ["BriefAgent:ClientSecret"] = ClientSecret,
            ["IdentityGuard:Consent:RedirectUri"] = redirectUri.ToString(),
            ["IdentityGuard:Consent:Timeout"] = "00:01:00",
        };
        foreach (var setting in settings ?? new Dictionary<string, string?>())
        {
            values[setting.Key] = setting.Value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var manifest = new CredentialManifest("brief-agent", [new ProviderDescriptor(Provider, CredentialKind.OAuth2)
        {
            Flow = OAuthFlow.UserFederation,
            DiscoveryUrl = IdentityProvider.DiscoveryUrl.ToString(),
            ClientId = ValueReference.Literal(ClientId),
            ClientSecret = ValueReference.FromConfiguration("BriefAgent:ClientSecret"),
            Scopes = [new ScopeDescriptor("SalesRead", DemoApi.SalesReadScope), new ScopeDescriptor("SalesWrite", DemoApi.SalesWriteScope)],
        }]);

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddSingleton<IAuditSink>(Audit);
        services.AddIdentityGuardRuntime(configuration, manifest);
        services.AddIdentityGuardVault(configuration, vault =>
        {
            vault.Workload = manifest.Workload;
            vault.DatabasePath = Path.Combine(_directory, "vault.db");
        });
        services.AddIdentityGuardUserFederation(configuration);
        if (withConsentHandler)
        {
            services.AddSingleton<IdentityGuard.Consent.IConsentHandler>(Browser);
        }

        services.AddHttpClient("sales", http => http.BaseAddress = Api.BaseAddress).AddIdentityGuardAccessToken(Provider, 1);
        _services = services.BuildServiceProvider();
        _listener = new LoopbackConsentListener(Federation, redirectUri);
        _listener.Start();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
