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
    private readonly List<AgentInstance> _instances = [];
    private ServiceProvider? _services;
    private LoopbackConsentListener? _listener;
    private IConfiguration _configuration = null!;
    private CredentialManifest _manifest = null!;

    private FederationEnvironment()
    {
    }

    private Action<IServiceCollection>? _configureAgent;

    public string ClientSecret { get; } = Guid.NewGuid().ToString("N");

    public DemoIdentityProvider IdentityProvider { get; private set; } = null!;

    public DemoApi Api { get; private set; } = null!;

    public ScriptedBrowserConsent Browser { get; } = new();

    public InMemoryAuditTrail Audit { get; } = new();

    /// <summary>The redirect URI registered with the identity provider (the first instance's listener).</summary>
    public Uri RedirectUri { get; private set; } = null!;

    public IServiceProvider Services => _services!;

    public UserFederation Federation => Services.GetRequiredService<UserFederation>();

    public WorkloadIdentity Workloads => Services.GetRequiredService<WorkloadIdentity>();

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public static async Task<FederationEnvironment> StartAsync(
        bool withConsentHandler = true, Action<DemoIdentityProviderOptions>? configureServer = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureAgent = null)
    {
        var environment = new FederationEnvironment { _configureAgent = configureAgent };
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

    /// <summary>
    /// Opens <paramref name="authorizationUrl"/> signed in at the identity provider as <paramref name="approver"/> and stops
    /// at the provider's redirect: the authorization response (code, state, iss) a browser would deliver to the callback.
    /// </summary>
    public static async Task<System.Collections.Specialized.NameValueCollection> AuthorizeAsync(Uri authorizationUrl, string approver)
    {
        using var browser = new System.Net.Http.HttpClient(new System.Net.Http.HttpClientHandler { AllowAutoRedirect = false });
        using var authorization = await browser.GetAsync(new Uri(authorizationUrl + "&login_hint=" + Uri.EscapeDataString(approver)));
        return System.Web.HttpUtility.ParseQueryString(authorization.Headers.Location!.Query);
    }

    /// <summary>The path of the vault's SQLite file, shared by every instance of the agent.</summary>
    public string DatabasePath => Path.Combine(_directory, "vault.db");

    /// <summary>
    /// Starts another instance of the same agent: its own service provider and loopback callback listener, sharing
    /// the vault database and its key ring with the first, as a second process or machine behind one redirect URI would.
    /// </summary>
    public AgentInstance StartAnotherInstance(bool withConsentHandler = false)
    {
        var services = BuildAgent(withConsentHandler);
        var listener = new LoopbackConsentListener(services.GetRequiredService<UserFederation>(), new Uri($"http://127.0.0.1:{FreePort()}/consent/callback"));
        listener.Start();
        var instance = new AgentInstance(services, listener);
        _instances.Add(instance);
        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

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
        RedirectUri = redirectUri;
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

        _configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        _manifest = new CredentialManifest("brief-agent", [new ProviderDescriptor(Provider, CredentialKind.OAuth2)
        {
            Flow = OAuthFlow.UserFederation,
            DiscoveryUrl = IdentityProvider.DiscoveryUrl.ToString(),
            ClientId = ValueReference.Literal(ClientId),
            ClientSecret = ValueReference.FromConfiguration("BriefAgent:ClientSecret"),
            Scopes = [new ScopeDescriptor("SalesRead", DemoApi.SalesReadScope), new ScopeDescriptor("SalesWrite", DemoApi.SalesWriteScope)],
        }]);

        _services = BuildAgent(withConsentHandler);
        _listener = new LoopbackConsentListener(Federation, redirectUri);
        _listener.Start();
    }

    private ServiceProvider BuildAgent(bool withConsentHandler)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddSingleton<IAuditSink>(Audit);
        services.AddIdentityGuardRuntime(_configuration, _manifest)
            .AddVault(vault => vault.DatabasePath = DatabasePath)
            .AddUserFederation();
        if (withConsentHandler)
        {
            services.AddSingleton<IdentityGuard.Consent.IConsentHandler>(Browser);
        }

        services.AddHttpClient("sales", http => http.BaseAddress = Api.BaseAddress).AddIdentityGuardAccessToken(Provider, 1);
        _configureAgent?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

/// <summary>Another instance of the agent: its services and its own callback listener.</summary>
internal sealed class AgentInstance(ServiceProvider services, LoopbackConsentListener listener) : IAsyncDisposable
{
    public IServiceProvider Services => services;

    public UserFederation Federation => services.GetRequiredService<UserFederation>();

    /// <summary>The address its callback listener answers on.</summary>
    public Uri CallbackAddress => listener.RedirectUri;

    public async ValueTask DisposeAsync()
    {
        await listener.DisposeAsync();
        await services.DisposeAsync();
    }
}
