using System;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Demo.Tests;

/// <summary>
/// One identity provider and one API trusting it, shared by all test classes (see <see cref="SharedDemoEnvironment"/>).
/// </summary>
public sealed class DemoEnvironment : IAsyncLifetime
{
    public const string AgentId = "demo-agent";
    public const string AgentSecret = "demo-agent-secret";
    public const string ReaderId = "report-reader";
    public const string ReaderSecret = "report-reader-secret";
    public const string BrowserAppId = "browser-app";
    public const string ApiClientId = DemoApiOptions.DefaultAudience;
    public const string ApiClientSecret = "demo-api-secret";
    public const string BriefAgentId = "brief-agent";
    public const string AllBusinessScopes = "openid offline_access crm.notes.read finance.spend.read docs.briefs.write";
    public static readonly Uri RedirectUri = new("http://127.0.0.1/callback");

    private DemoIdentityProvider? _identityProvider;
    private DemoApi? _api;
    private DemoBusinessApis? _businessApis;
    private CallbackServer? _callbackServer;

    public DemoIdentityProvider IdentityProvider => _identityProvider ?? throw new InvalidOperationException("Not started.");

    public DemoApi Api => _api ?? throw new InvalidOperationException("Not started.");

    public DemoBusinessApis BusinessApis => _businessApis ?? throw new InvalidOperationException("Not started.");

    /// <summary>The redirect endpoint of <see cref="BriefAgentId"/>, a real loopback listener.</summary>
    public CallbackServer Callback => _callbackServer ?? throw new InvalidOperationException("Not started.");

    /// <summary>Redirects are not followed, so tests can read the authorization endpoint's redirect.</summary>
    public HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false });

    public async Task InitializeAsync()
    {
        // First, because the agent's redirect URI must be registered with the identity provider at its start.
        _callbackServer = await CallbackServer.StartAsync();

        var options = DemoIdentityProviderOptions.CreateDefault();
        DemoBusinessApis.AddScopesTo(options);
        options.Clients.Add(DemoBusinessApis.CreateDelegatedClient(BriefAgentId, _callbackServer.CallbackUri));

        var reader = new DemoClient(ReaderId, ReaderSecret);
        reader.AllowedScopes.Add(DemoApi.SalesReadScope);
        options.Clients.Add(reader);

        var browserApp = new DemoClient(BrowserAppId, clientSecret: null);
        browserApp.AllowedGrantTypes.Clear();
        browserApp.AllowedGrantTypes.Add(DemoGrantTypes.AuthorizationCode);
        browserApp.AllowedGrantTypes.Add(DemoGrantTypes.RefreshToken);
        browserApp.AllowedScopes.Add(DemoApi.SalesReadScope);
        browserApp.RedirectUris.Add(RedirectUri);
        options.Clients.Add(browserApp);

        // The API itself, exchanging a user's token for one it can use downstream (on-behalf-of).
        var apiClient = new DemoClient(ApiClientId, ApiClientSecret);
        apiClient.AllowedGrantTypes.Add(DemoGrantTypes.TokenExchange);
        apiClient.AllowedScopes.Add(DemoApi.SalesWriteScope);
        apiClient.AllowedScopes.Add(DemoApi.SalesReadScope);
        options.Clients.Add(apiClient);

        options.Users.Add(new DemoUser("alice", "Alice Example"));
        options.Users.Add(new DemoUser("mallory", "Mallory Example"));
        options.Users.Add(new DemoUser("bob", "Bob Example"));
        options.ConsentDecision = request => request.User.Subject != "mallory";

        _identityProvider = await DemoIdentityProvider.StartAsync(options);
        _api = await DemoApi.StartAsync(new DemoApiOptions(_identityProvider.Issuer));
        _businessApis = await DemoBusinessApis.StartAsync(new DemoBusinessApisOptions(_identityProvider.Issuer));
    }

    /// <summary>Tokens for <paramref name="user"/> through the brief agent, after consent in a <see cref="DemoBrowser"/>.</summary>
    public Task<TokenResponse> SignInAsync(string user, string scope = AllBusinessScopes) =>
        AuthorizationCodeFlow.SignInAsync(Http, IdentityProvider, user, BriefAgentId, Callback.CallbackUri, scope);

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_businessApis is not null)
        {
            await _businessApis.DisposeAsync();
        }

        if (_callbackServer is not null)
        {
            await _callbackServer.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_identityProvider is not null)
        {
            await _identityProvider.DisposeAsync();
        }
    }
}
