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
    public static readonly Uri RedirectUri = new("http://127.0.0.1/callback");

    private DemoIdentityProvider? _identityProvider;
    private DemoApi? _api;

    public DemoIdentityProvider IdentityProvider => _identityProvider ?? throw new InvalidOperationException("Not started.");

    public DemoApi Api => _api ?? throw new InvalidOperationException("Not started.");

    /// <summary>Redirects are not followed, so tests can read the authorization endpoint's redirect.</summary>
    public HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false });

    public async Task InitializeAsync()
    {
        var options = DemoIdentityProviderOptions.CreateDefault();

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
        options.ConsentDecision = request => request.User.Subject != "mallory";

        _identityProvider = await DemoIdentityProvider.StartAsync(options);
        _api = await DemoApi.StartAsync(new DemoApiOptions(_identityProvider.Issuer));
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
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
