using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Claims;
using System.Threading.Tasks;
using System.Web;
using IdentityGuard.AspNetCore;
using IdentityGuard.Audit;
using IdentityGuard.Consent;
using IdentityGuard.Demo;
using IdentityGuard.Federation;
using IdentityGuard.Manifest;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace IdentityGuard.Authorization.Tests;

/// <summary>
/// The ASP.NET Core consent callback reached by a real browser redirect from the OpenIddict demo server, with the app's
/// own cookie sign-in as the evidence of who delivered it. The provider here is not the user's identity provider (the
/// user was verified by another issuer), so no ID token can vouch for the approver: the app's sign-in is the only
/// evidence, which is exactly the case these tests attack.
/// </summary>
public sealed class ConsentCallbackEndpointTests
{
    /// <summary>The issuer that verified the agent's users (the app's own sign-in trusts the same one).</summary>
    private const string UserIssuer = "https://login.contoso.example/";
    private const string Provider = "Sales";
    private const string CookieScheme = "app-cookie";
    private static readonly string[] s_read = [DemoApi.SalesReadScope];

    [Fact]
    public async Task A_callback_delivered_by_another_signed_in_user_is_refused_before_the_code_is_redeemed()
    {
        await using var env = await CallbackEnvironment.StartAsync();
        var request = await env.RequestConsentAsync("alice");
        var response = await CallbackEnvironment.AuthorizeAsync(request, approver: "alice");
        var redemptionsBefore = env.IdentityProvider.TokenRequestCount;

        // Bob's browser, signed in to the app as Bob, delivers Alice's genuine code, state and iss.
        using var bob = await env.BrowserSignedInAsync("bob");
        using var delivered = await bob.GetAsync(env.CallbackWith(response));

        Assert.Equal(HttpStatusCode.BadRequest, delivered.StatusCode);
        Assert.Equal(redemptionsBefore, env.IdentityProvider.TokenRequestCount);
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "approver_mismatch");
        Assert.Null(await env.GrantOfAsync("alice"));
    }

    [Fact]
    public async Task A_callback_delivered_by_the_user_who_asked_completes_the_consent()
    {
        await using var env = await CallbackEnvironment.StartAsync();
        var request = await env.RequestConsentAsync("alice");
        var response = await CallbackEnvironment.AuthorizeAsync(request, approver: "alice");

        using var alice = await env.BrowserSignedInAsync("alice");
        using var delivered = await alice.GetAsync(env.CallbackWith(response));

        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal("no-store", delivered.Headers.CacheControl?.ToString());
        Assert.NotNull(await env.GrantOfAsync("alice"));
    }

    [Fact]
    public async Task A_sign_in_the_app_made_up_locally_proves_nothing()
    {
        // A principal whose subject claim carries no real issuer (ClaimsIdentity's LOCAL AUTHORITY), named "alice".
        await using var env = await CallbackEnvironment.StartAsync();
        var request = await env.RequestConsentAsync("alice");
        var response = await CallbackEnvironment.AuthorizeAsync(request, approver: "alice");

        using var browser = await env.BrowserSignedInAsync("alice", issuer: null);
        using var delivered = await browser.GetAsync(env.CallbackWith(response));

        Assert.Equal(HttpStatusCode.BadRequest, delivered.StatusCode);
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "approver_unverified");
        Assert.Null(await env.GrantOfAsync("alice"));
    }

    [Fact]
    public async Task A_browser_that_is_not_signed_in_proves_nothing()
    {
        await using var env = await CallbackEnvironment.StartAsync();
        var request = await env.RequestConsentAsync("alice");
        var response = await CallbackEnvironment.AuthorizeAsync(request, approver: "alice");

        using var anonymous = env.Browser();
        using var delivered = await anonymous.GetAsync(env.CallbackWith(response));

        Assert.Equal(HttpStatusCode.BadRequest, delivered.StatusCode);
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "approver_unverified");
    }

    [Fact]
    public async Task SignInScheme_names_the_scheme_that_tells_who_the_browser_is()
    {
        // The app's default authentication is a bearer scheme a browser never satisfies; the cookie is named explicitly.
        await using var env = await CallbackEnvironment.StartAsync(signInSchemeIsDefault: false, settings: new() { ["IdentityGuard:Consent:SignInScheme"] = CookieScheme });
        var request = await env.RequestConsentAsync("alice");
        var response = await CallbackEnvironment.AuthorizeAsync(request, approver: "alice");

        using var alice = await env.BrowserSignedInAsync("alice");
        using var delivered = await alice.GetAsync(env.CallbackWith(response));

        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
    }

    [Fact]
    public async Task Without_SignInScheme_a_cookie_that_is_not_the_default_scheme_is_not_seen()
    {
        // Near miss of the test above: the same cookie, but nobody told the callback to look at it.
        await using var env = await CallbackEnvironment.StartAsync(signInSchemeIsDefault: false);
        var request = await env.RequestConsentAsync("alice");
        var response = await CallbackEnvironment.AuthorizeAsync(request, approver: "alice");

        using var alice = await env.BrowserSignedInAsync("alice");
        using var delivered = await alice.GetAsync(env.CallbackWith(response));

        Assert.Equal(HttpStatusCode.BadRequest, delivered.StatusCode);
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "approver_unverified");
    }

    [Fact]
    public async Task With_form_post_a_crafted_GET_link_is_refused_and_does_not_spend_the_state()
    {
        await using var env = await CallbackEnvironment.StartAsync(settings: new() { ["IdentityGuard:Consent:ResponseMode"] = "FormPost" });
        var request = await env.RequestConsentAsync("alice");
        var form = await CallbackEnvironment.AuthorizeWithFormPostAsync(request, approver: "alice");
        using var alice = await env.BrowserSignedInAsync("alice");

        // The code and state an attacker would put in a link: GET is not how this flow delivers them.
        using var crafted = await alice.GetAsync(env.CallbackWith(form.Fields));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, crafted.StatusCode);

        // The refusal happened before the state was taken: the genuine form post still completes.
        using var posted = await alice.PostAsync(form.Action, new FormUrlEncodedContent(form.Fields));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.NotNull(await env.GrantOfAsync("alice"));
    }

    [Fact]
    public async Task In_query_mode_a_POST_is_refused()
    {
        await using var env = await CallbackEnvironment.StartAsync();
        var request = await env.RequestConsentAsync("alice");
        var response = await CallbackEnvironment.AuthorizeAsync(request, approver: "alice");
        using var alice = await env.BrowserSignedInAsync("alice");

        using var posted = await alice.PostAsync(env.CallbackAddress, new FormUrlEncodedContent(response));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, posted.StatusCode);
        Assert.Null(await env.GrantOfAsync("alice"));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("multipart/form-data")]
    [InlineData("oversized")]
    public async Task With_form_post_only_a_small_url_encoded_form_is_read(string body)
    {
        await using var env = await CallbackEnvironment.StartAsync(settings: new() { ["IdentityGuard:Consent:ResponseMode"] = "FormPost" });
        var request = await env.RequestConsentAsync("alice");
        var form = await CallbackEnvironment.AuthorizeWithFormPostAsync(request, approver: "alice");
        using var alice = await env.BrowserSignedInAsync("alice");

        HttpContent content = body switch
        {
            "application/json" => JsonContent(form.Fields),
            "multipart/form-data" => Multipart(form.Fields),
            _ => new FormUrlEncodedContent(form.Fields.Append(new("padding", new string('a', 70 * 1024)))),
        };
        using var posted = await alice.PostAsync(form.Action, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, posted.StatusCode);
        Assert.Null(await env.GrantOfAsync("alice"));
    }

    private static StringContent JsonContent(IReadOnlyDictionary<string, string> fields) =>
        new(System.Text.Json.JsonSerializer.Serialize(fields), System.Text.Encoding.UTF8, "application/json");

    private static MultipartFormDataContent Multipart(IReadOnlyDictionary<string, string> fields)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        return content;
    }

    /// <summary>
    /// The demo identity provider, an ASP.NET Core agent with user federation and the consent callback, and the app's
    /// own cookie sign-in (<c>/sign-in/{user}</c> stands in for its OIDC login and issues the cookie for a user of
    /// <see cref="UserIssuer"/>).
    /// </summary>
    private sealed class CallbackEnvironment : IAsyncDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "identityguard-callback-tests", Guid.NewGuid().ToString("N"));
        private WebApplication _app = null!;
        private Uri _appAddress = null!;

        public DemoIdentityProvider IdentityProvider { get; private set; } = null!;

        public InMemoryAuditTrail Audit { get; } = new();

        public Uri CallbackAddress { get; private set; } = null!;

        private IServiceProvider Services => _app.Services;

        public static async Task<CallbackEnvironment> StartAsync(bool signInSchemeIsDefault = true, Dictionary<string, string?>? settings = null)
        {
            var env = new CallbackEnvironment();
            await env.InitializeAsync(signInSchemeIsDefault, settings ?? []);
            return env;
        }

        public Task<ConsentRequest> RequestConsentAsync(string user) =>
            Services.GetRequiredService<UserFederation>().RequestConsentAsync(WorkloadTokenOf(user), Provider, s_read);

        public async Task<Grant?> GrantOfAsync(string user) =>
            await Services.GetRequiredService<TokenVault>().GetGrantAsync(WorkloadTokenOf(user), Provider);

        /// <summary>The user approves at the provider; the provider's redirect (not followed) holds code, state and iss.</summary>
        public static async Task<Dictionary<string, string>> AuthorizeAsync(ConsentRequest request, string approver)
        {
            using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            using var answer = await browser.GetAsync(new Uri(request.AuthorizationUrl + "&login_hint=" + approver));
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            var query = HttpUtility.ParseQueryString(answer.Headers.Location!.Query);
            Assert.False(string.IsNullOrEmpty(query["code"]));
            return query.AllKeys.ToDictionary(key => key!, key => query[key]!, StringComparer.Ordinal);
        }

        /// <summary>The same with <c>response_mode=form_post</c>: the provider's auto-submitting page.</summary>
        public static async Task<DemoFormPost> AuthorizeWithFormPostAsync(ConsentRequest request, string approver)
        {
            using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            var page = await browser.GetStringAsync(new Uri(request.AuthorizationUrl + "&login_hint=" + approver));
            var form = DemoFormPost.Parse(page);
            Assert.NotNull(form);
            Assert.True(form.Fields.ContainsKey("code"));
            return form;
        }

        public Uri CallbackWith(IEnumerable<KeyValuePair<string, string>> response) =>
            new(CallbackAddress + "?" + string.Join('&', response.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))));

        /// <summary>A browser (cookie jar, no automatic redirects) with no sign-in.</summary>
        public HttpClient Browser() =>
            new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = _appAddress };

        /// <summary>A browser signed in to the app as <paramref name="user"/> of <paramref name="issuer"/> (null: a locally made-up identity).</summary>
        public async Task<HttpClient> BrowserSignedInAsync(string user, string? issuer = UserIssuer)
        {
            var browser = Browser();
            using var signIn = await browser.GetAsync(new Uri($"/sign-in/{user}?issuer={Uri.EscapeDataString(issuer ?? string.Empty)}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
            return browser;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.DisposeAsync();
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

        private WorkloadAccessToken WorkloadTokenOf(string user) =>
            Services.GetRequiredService<WorkloadIdentity>().IssueForVerifiedUser(UserIssuer, user);

        private async Task InitializeAsync(bool signInSchemeIsDefault, Dictionary<string, string?> settings)
        {
            var port = FreePort();
            CallbackAddress = new Uri($"http://127.0.0.1:{port}/consent/callback");
            var secret = Guid.NewGuid().ToString("N");
            var options = DemoIdentityProviderOptions.CreateDefault();
            var client = new DemoClient("web-agent", secret);
            client.AllowedGrantTypes.Clear();
            client.AllowedGrantTypes.Add(DemoGrantTypes.AuthorizationCode);
            client.AllowedGrantTypes.Add(DemoGrantTypes.RefreshToken);
            client.AllowedScopes.Add(DemoApi.SalesReadScope);
            client.RedirectUris.Add(CallbackAddress);
            options.Clients.Add(client);
            options.Users.Add(new DemoUser("alice", "Alice Example"));
            options.Users.Add(new DemoUser("bob", "Bob Example"));
            IdentityProvider = await DemoIdentityProvider.StartAsync(options);

            var values = new Dictionary<string, string?>
            {
                ["WebAgent:ClientSecret"] = secret,
                ["IdentityGuard:Consent:RedirectUri"] = CallbackAddress.AbsoluteUri,
            };
            foreach (var (key, value) in settings)
            {
                values[key] = value;
            }

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(values);
            builder.Services.AddSingleton<IAuditSink>(Audit);
            var manifest = new CredentialManifest("web-agent", [new ProviderDescriptor(Provider, CredentialKind.OAuth2)
            {
                Flow = OAuthFlow.UserFederation,
                DiscoveryUrl = IdentityProvider.DiscoveryUrl.AbsoluteUri,
                ClientId = ValueReference.Literal("web-agent"),
                ClientSecret = ValueReference.FromConfiguration("WebAgent:ClientSecret"),
                Scopes = [new ScopeDescriptor("SalesRead", DemoApi.SalesReadScope)],
            }]);
            builder.Services.AddIdentityGuardRuntime(builder.Configuration, manifest)
                .AddVault(vault => vault.DatabasePath = Path.Combine(_directory, "vault.db"))
                .AddUserFederation();

            // The app's sign-in: a real cookie. As the default scheme, or beside a default scheme a browser never
            // satisfies (the agent's own bearer authentication).
            var authentication = builder.Services.AddAuthentication(signInSchemeIsDefault ? CookieScheme : "bearer-only");
            authentication.AddCookie(CookieScheme);
            if (!signInSchemeIsDefault)
            {
                authentication.AddScheme<AuthenticationSchemeOptions, NobodyHandler>("bearer-only", _ => { });
            }

            _app = builder.Build();
            _app.UseAuthentication();
            _app.MapGet("/sign-in/{user}", async (string user, string? issuer, HttpContext context) =>
            {
                var claim = string.IsNullOrEmpty(issuer) ? new Claim("sub", user) : new Claim("sub", user, ClaimValueTypes.String, issuer);
                await context.SignInAsync(CookieScheme, new ClaimsPrincipal(new ClaimsIdentity([claim], CookieScheme)));
                return Results.NoContent();
            });
            _app.MapIdentityGuardConsentCallback("/consent/callback");
            await _app.StartAsync();
            _appAddress = new Uri($"http://127.0.0.1:{port}/");
        }

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
    }

    /// <summary>An authentication scheme no browser request satisfies (as a bearer scheme would not, for a redirect).</summary>
    private sealed class NobodyHandler(
        Microsoft.Extensions.Options.IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, System.Text.Encodings.Web.UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}
