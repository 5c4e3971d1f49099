using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Audit;
using IdentityGuard.Demo;
using IdentityGuard.Manifest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace IdentityGuard.Authorization.Tests.Delegation;

[CollectionDefinition(Name)]
public sealed class SharedDelegationEnvironment : ICollectionFixture<DelegationEnvironment>
{
    public const string Name = "Delegation";
}

/// <summary>
/// A delegation landscape on loopback, every hop real: the OpenIddict identity provider; a user-facing app whose
/// users sign in with authorization code + PKCE for the orchestrator; the orchestrator (a console-style agent built
/// per test); the task agent, an ASP.NET Core host that verifies with the IdentityGuard authorizer and exchanges
/// again; and the finance API, which verifies with the IdentityGuard authorizer and answers with the caller and the
/// actor chain it verified.
/// </summary>
public sealed class DelegationEnvironment : IAsyncLifetime
{
    public const string UserApp = "user-app";

    /// <summary>A second app of the same users whose tokens live only <see cref="BriefLifetime"/>.</summary>
    public const string BriefUserApp = "user-app-brief";

    /// <summary>An app whose users call the task agent themselves, with no agent in between.</summary>
    public const string DirectUserApp = "user-app-direct";

    /// <summary>A second application of the same users with the same scope and lifetime as <see cref="UserApp"/>.</summary>
    public const string SecondUserApp = "user-app-second";
    public const string Orchestrator = "orchestrator-agent";
    public const string TaskAgent = "task-agent";
    public const string Rogue = "rogue-agent";
    public const string FinanceAudience = "finance-api";
    public const string InvokeOrchestrator = "orchestrator.invoke";
    public const string InvokeRogue = "rogue.invoke";
    public const string RunTasks = "tasks.run";
    public const string ReadFinance = "finance.read";
    public static readonly Uri RedirectUri = new("http://127.0.0.1/callback");

    /// <summary>How long <see cref="BriefUserApp"/>'s tokens live: far shorter than the hour every other token gets.</summary>
    public static readonly TimeSpan BriefLifetime = TimeSpan.FromMinutes(10);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "identityguard-delegation-tests", Guid.NewGuid().ToString("N"));
    private WebApplication? _finance;
    private WebApplication? _taskAgent;

    public static IReadOnlyList<string> Users { get; } = ["alice", "bob", .. Enumerable.Range(1, 16).Select(i => $"user{i:00}")];

    public string OrchestratorSecret { get; } = Guid.NewGuid().ToString("N");

    public string TaskAgentSecret { get; } = Guid.NewGuid().ToString("N");

    public string RogueSecret { get; } = Guid.NewGuid().ToString("N");

    public DemoIdentityProvider Idp { get; private set; } = null!;

    public Uri FinanceAddress { get; private set; } = null!;

    public Uri TaskAgentAddress { get; private set; } = null!;

    /// <summary>Every bearer token the finance API received, so tests can look for them where they must not be.</summary>
    public ConcurrentBag<string> TokensSeenByFinance { get; } = [];

    public InMemoryAuditTrail TaskAgentAudit { get; } = new();

    public InMemoryAuditTrail FinanceAudit { get; } = new();

    public FakeLogCollector TaskAgentLogs => _taskAgent!.Services.GetFakeLogCollector();

    public HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false });

    public async Task InitializeAsync()
    {
        // The server does not cap exchanged tokens at their subject token's expiry, so what the tests see of that cap
        // is the runtime's own.
        var options = new DemoIdentityProviderOptions { CapExchangedTokenLifetime = false };
        options.Scopes.Add(new DemoScope(InvokeOrchestrator, Orchestrator));
        options.Scopes.Add(new DemoScope(InvokeRogue, Rogue));
        options.Scopes.Add(new DemoScope(RunTasks, TaskAgent));
        options.Scopes.Add(new DemoScope(ReadFinance, FinanceAudience));

        var userApp = new DemoClient(UserApp, clientSecret: null);
        userApp.AllowedGrantTypes.Clear();
        userApp.AllowedGrantTypes.Add(DemoGrantTypes.AuthorizationCode);
        userApp.AllowedScopes.Add(InvokeOrchestrator);
        userApp.AllowedScopes.Add(InvokeRogue);
        userApp.RedirectUris.Add(RedirectUri);
        options.Clients.Add(userApp);
        options.Clients.Add(UserFacingApp(BriefUserApp, InvokeOrchestrator, BriefLifetime));
        options.Clients.Add(UserFacingApp(DirectUserApp, RunTasks, lifetime: null));
        options.Clients.Add(UserFacingApp(SecondUserApp, InvokeOrchestrator, lifetime: null));

        options.Clients.Add(ExchangingAgent(Orchestrator, OrchestratorSecret, RunTasks, ReadFinance));
        options.Clients.Add(ExchangingAgent(TaskAgent, TaskAgentSecret, ReadFinance));
        options.Clients.Add(ExchangingAgent(Rogue, RogueSecret, ReadFinance, RunTasks));
        foreach (var user in Users)
        {
            options.Users.Add(new DemoUser(user, user));
        }

        Idp = await DemoIdentityProvider.StartAsync(options);
        FinanceAddress = await StartFinanceApiAsync();
        TaskAgentAddress = await StartTaskAgentAsync();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_taskAgent is not null)
        {
            await _taskAgent.DisposeAsync();
        }

        if (_finance is not null)
        {
            await _finance.DisposeAsync();
        }

        await Idp.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftover temp files are harmless.
        }
    }

    /// <summary>
    /// The orchestrator: a console-style agent with two on-behalf-of providers (the task agent, and the finance API
    /// directly), its own vault folder, and the IdentityGuard authorizer for the users' tokens.
    /// </summary>
    public ServiceProvider BuildOrchestrator(InMemoryAuditTrail audit, TimeProvider? time = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orchestrator:ClientSecret"] = OrchestratorSecret,
            ["IdentityGuard:Workload"] = Orchestrator,
        }).Build();
        var manifest = new CredentialManifest(Orchestrator,
        [
            OnBehalfOf("TaskAgent", Orchestrator, "Orchestrator:ClientSecret", new ScopeDescriptor("Run", RunTasks)),
            OnBehalfOf("Finance", Orchestrator, "Orchestrator:ClientSecret", new ScopeDescriptor("Read", ReadFinance)),
        ]);

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddSingleton<IAuditSink>(audit);
        services.AddIdentityGuardRuntime(configuration, manifest)
            .AddVault(vault => vault.DatabasePath = Path.Combine(_directory, Guid.NewGuid().ToString("N"), "vault.db"))
            .AddAuthorizer(authorizer =>
            {
                authorizer.DiscoveryUrl = Idp.DiscoveryUrl;
                authorizer.Audiences.Add(Orchestrator);
                authorizer.RequiredScopes.Add(InvokeOrchestrator);
                authorizer.ActorRequirement = ActorRequirement.Refused;
            });
        services.AddHttpClient("tasks", http => http.BaseAddress = TaskAgentAddress).AddIdentityGuardAccessToken("TaskAgent", 1);
        services.AddHttpClient("finance", http => http.BaseAddress = FinanceAddress).AddIdentityGuardAccessToken("Finance", 1);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// The task agent as a console-style agent in the test process: it accepts the users' own tokens (from
    /// <see cref="DirectUserApp"/>) as well as tokens the orchestrator exchanged for them, and exchanges either for the
    /// finance API through one on-behalf-of provider, so a user calling directly and the same user through a chain of
    /// agents meet in one token source. <paramref name="configure"/> adds services (e.g. another client with the provider's token).
    /// </summary>
    public ServiceProvider BuildTaskAgent(InMemoryAuditTrail audit, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TaskAgent:ClientSecret"] = TaskAgentSecret,
            ["IdentityGuard:Workload"] = TaskAgent,
        }).Build();
        var manifest = new CredentialManifest(TaskAgent, [OnBehalfOf("Finance", TaskAgent, "TaskAgent:ClientSecret", new ScopeDescriptor("Read", ReadFinance))]);

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddSingleton<IAuditSink>(audit);
        services.AddIdentityGuardRuntime(configuration, manifest)
            .AddVault(vault => vault.DatabasePath = Path.Combine(_directory, Guid.NewGuid().ToString("N"), "vault.db"))
            .AddAuthorizer(authorizer =>
            {
                authorizer.DiscoveryUrl = Idp.DiscoveryUrl;
                authorizer.Audiences.Add(TaskAgent);
                authorizer.RequiredScopes.Add(RunTasks);
                authorizer.ActorRequirement = ActorRequirement.Allowed;
                authorizer.AllowedActors.Add(Orchestrator);
            });
        services.AddHttpClient("finance", http => http.BaseAddress = FinanceAddress).AddIdentityGuardAccessToken("Finance", 1);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>Signs <paramref name="user"/> in to <paramref name="client"/>, a user-facing app (authorization code + PKCE), and returns her access token.</summary>
    public async Task<string> UserTokenAsync(string user, string scope = InvokeOrchestrator, string client = UserApp)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var query = string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = client,
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri.AbsoluteUri,
            ["scope"] = scope,
            ["state"] = "s",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["login_hint"] = user,
        }.Select(pair => pair.Key + "=" + Uri.EscapeDataString(pair.Value)));

        using var browser = new DemoBrowser(user);
        var redirect = await browser.AuthorizeAsync(new Uri(Idp.AuthorizationEndpoint + "?" + query));
        Assert.True(redirect.IsSuccess, redirect.ErrorDescription);
        var body = await PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = client,
            ["code"] = redirect.Code!,
            ["redirect_uri"] = RedirectUri.AbsoluteUri,
            ["code_verifier"] = verifier,
        });
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>A raw RFC 8693 exchange as an agent, for tests that need the exchanged token itself.</summary>
    public async Task<(bool Succeeded, string Value)> ExchangeAsync(string subjectToken, string agent, string secret, string scope)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = DemoGrantTypes.TokenExchange,
            ["client_id"] = agent,
            ["client_secret"] = secret,
            ["subject_token"] = subjectToken,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
            ["scope"] = scope,
        });
        using var response = await Http.PostAsync(Idp.TokenEndpoint, content);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return response.IsSuccessStatusCode
            ? (true, document.RootElement.GetProperty("access_token").GetString()!)
            : (false, document.RootElement.GetProperty("error").GetString()!);
    }

    /// <summary>Authorizer options trusting the identity provider for the finance API's audience.</summary>
    public JwtAuthorizerOptions FinanceOptions(Action<JwtAuthorizerOptions>? configure = null)
    {
        var options = new JwtAuthorizerOptions { DiscoveryUrl = Idp.DiscoveryUrl, Workload = FinanceAudience };
        options.Audiences.Add(FinanceAudience);
        options.RequiredScopes.Add(ReadFinance);
        configure?.Invoke(options);
        return options;
    }

    private static DemoClient UserFacingApp(string clientId, string scope, TimeSpan? lifetime)
    {
        var app = new DemoClient(clientId, clientSecret: null) { AccessTokenLifetime = lifetime };
        app.AllowedGrantTypes.Clear();
        app.AllowedGrantTypes.Add(DemoGrantTypes.AuthorizationCode);
        app.AllowedScopes.Add(scope);
        app.RedirectUris.Add(RedirectUri);
        return app;
    }

    private static DemoClient ExchangingAgent(string clientId, string secret, params string[] scopes)
    {
        var client = new DemoClient(clientId, secret);
        client.AllowedGrantTypes.Clear();
        client.AllowedGrantTypes.Add(DemoGrantTypes.TokenExchange);
        foreach (var scope in scopes)
        {
            client.AllowedScopes.Add(scope);
        }

        return client;
    }

    private ProviderDescriptor OnBehalfOf(string name, string clientId, string secretKey, params ScopeDescriptor[] scopes) =>
        new(name, CredentialKind.OAuth2)
        {
            Flow = OAuthFlow.OnBehalfOf,
            DiscoveryUrl = Idp.DiscoveryUrl.ToString(),
            ClientId = ValueReference.Literal(clientId),
            ClientSecret = ValueReference.FromConfiguration(secretKey),
            Scopes = scopes,
        };

    /// <summary>The finance API: only agents acting for a user, only the known agents, at most two of them.</summary>
    private async Task<Uri> StartFinanceApiAsync()
    {
        var builder = Loopback.CreateBuilder();
        builder.Services.AddSingleton<IAuditSink>(FinanceAudit);
        builder.Services.AddAuthentication().AddIdentityGuardJwt(options =>
        {
            options.DiscoveryUrl = Idp.DiscoveryUrl;
            options.Workload = FinanceAudience;
            options.Audiences.Add(FinanceAudience);
            options.RequiredScopes.Add(ReadFinance);
            options.ActorRequirement = ActorRequirement.Required;
            options.AllowedActors.Add(TaskAgent);
            options.AllowedActors.Add(Orchestrator);
            options.MaxActorChainDepth = 2;
        });
        builder.Services.AddAuthorization();
        _finance = builder.Build();
        _finance.UseAuthentication();
        _finance.UseAuthorization();
        _finance.MapGet("/spend", (HttpContext context) =>
        {
            var caller = context.GetVerifiedCaller()!;
            TokensSeenByFinance.Add(caller.Token.RevealValue());
            return Results.Json(new FinanceAnswer(caller.Subject, [.. caller.Actors]));
        }).RequireAuthorization();
        return await Loopback.StartAsync(_finance);
    }

    /// <summary>
    /// The task agent: verifies the orchestrator's exchanged token with the IdentityGuard authorizer (only the
    /// orchestrator may act through it), binds the caller to the workload context, and exchanges again for the finance API.
    /// </summary>
    private async Task<Uri> StartTaskAgentAsync()
    {
        var builder = Loopback.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TaskAgent:ClientSecret"] = TaskAgentSecret,
            ["IdentityGuard:Workload"] = TaskAgent,
        });
        var manifest = new CredentialManifest(TaskAgent, [OnBehalfOf("Finance", TaskAgent, "TaskAgent:ClientSecret", new ScopeDescriptor("Read", ReadFinance))]);
        builder.Services.AddSingleton<IAuditSink>(TaskAgentAudit);
        builder.Services.AddIdentityGuardRuntime(builder.Configuration, manifest)
            .AddVault(vault => vault.DatabasePath = Path.Combine(_directory, "task-agent", "vault.db"));
        builder.Services.AddAuthentication().AddIdentityGuardJwt(options =>
        {
            options.DiscoveryUrl = Idp.DiscoveryUrl;
            options.Audiences.Add(TaskAgent);
            options.RequiredScopes.Add(RunTasks);
            options.ActorRequirement = ActorRequirement.Required;
            options.AllowedActors.Add(Orchestrator);
            options.Workload = TaskAgent;
        });
        builder.Services.AddAuthorization();
        builder.Services.AddHttpClient("finance", http => http.BaseAddress = FinanceAddress).AddIdentityGuardAccessToken("Finance", 1);

        _taskAgent = builder.Build();
        _taskAgent.UseAuthentication();
        _taskAgent.UseAuthorization();
        _taskAgent.UseIdentityGuardWorkloadContext();
        _taskAgent.MapGet("/finance-lookup", async (IHttpClientFactory clients, HttpContext context) =>
        {
            // The agent's code names neither the user nor a token: the workload context carries both.
            using var response = await clients.CreateClient("finance").GetAsync(new Uri("spend", UriKind.Relative), context.RequestAborted);
            return Results.Content(await response.Content.ReadAsStringAsync(context.RequestAborted), "application/json", statusCode: (int)response.StatusCode);
        }).RequireAuthorization();
        return await Loopback.StartAsync(_taskAgent);
    }

    private async Task<JsonElement> PostTokenAsync(Dictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await Http.PostAsync(Idp.TokenEndpoint, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}

/// <summary>What the finance API answers: whom it served and through which agents, most recent first.</summary>
public sealed record FinanceAnswer(string Subject, IReadOnlyList<string> Actors);
