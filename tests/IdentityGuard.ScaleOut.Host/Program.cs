using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Consent;
using IdentityGuard.Federation;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Settings come from the environment (ScaleHost__*, IdentityGuard__*), set by the test that starts this process.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
var configuration = builder.Configuration;
builder.WebHost.UseUrls(Required(configuration, "ScaleHost:Url"));

var connectionString = Required(configuration, "ScaleHost:ConnectionString");
var manifest = new CredentialManifest("scale-agent", [new ProviderDescriptor(ScaleHost.Provider, CredentialKind.OAuth2)
{
    Flow = OAuthFlow.UserFederation,
    DiscoveryUrl = Required(configuration, "ScaleHost:DiscoveryUrl"),
    ClientId = ValueReference.FromConfiguration("ScaleHost:ClientId"),
    ClientSecret = ValueReference.FromConfiguration("ScaleHost:ClientSecret"),
    Scopes = [new ScopeDescriptor("SalesRead", ScaleHost.Scope)],
}]);
var keyCertificate = X509CertificateLoader.LoadPkcs12FromFile(
    Required(configuration, "ScaleHost:KeyCertificatePath"), Required(configuration, "ScaleHost:KeyCertificatePassword"), X509KeyStorageFlags.Exportable);

builder.Services.AddIdentityGuardRuntime(configuration, manifest)
    .AddVault()
    .AddPostgreSqlStore(connectionString)
    .PersistVaultKeysToPostgreSql(connectionString, keyCertificate)
    .AddUserFederation();
builder.Services.AddSingleton<PublishedConsents>();
builder.Services.AddSingleton<IConsentHandler>(sp => sp.GetRequiredService<PublishedConsents>());
builder.Services.PostConfigure<TokenVaultOptions>(options =>
{
    options.RefreshTimeout = TimeSpan.Parse(configuration["ScaleHost:RefreshTimeout"] ?? "00:00:04", System.Globalization.CultureInfo.InvariantCulture);
    options.LeaseWaitTimeout = TimeSpan.Parse(configuration["ScaleHost:LeaseWaitTimeout"] ?? "00:00:30", System.Globalization.CultureInfo.InvariantCulture);
});
if (string.Equals(configuration["ScaleHost:HangRefreshes"], "true", StringComparison.OrdinalIgnoreCase))
{
    builder.Services.AddTransient<HangingRefresh>();
    builder.Services.AddHttpClient(CredentialProviderRegistry.TokenHttpClientName).AddHttpMessageHandler<HangingRefresh>();
}

var app = builder.Build();
var userIssuer = Required(configuration, "ScaleHost:UserIssuer");

// Every answer names the instance that gave it, so a test behind a load balancer can see where each request went.
var instanceId = Required(configuration, "ScaleHost:InstanceId");
app.Use((context, next) =>
{
    context.Response.Headers[ScaleHost.InstanceHeader] = instanceId;
    return next(context);
});

// Ready once the store answers and the shared key ring is loaded (issuing a workload token needs both the keys and,
// on an empty ring, creates the first key).
app.MapGet("/health", async (WorkloadIdentity identity, IGrantStore store) =>
{
    identity.Validate(identity.IssueForVerifiedUser(userIssuer, "health"));
    await store.GetAsync(new GrantKey(manifest.Workload, "health", ScaleHost.Provider));
    return Results.Ok(Environment.ProcessId);
});

// One caller asking for the user's token for the sales scope, answered as lines of JSON: "accepted" at once (a
// reverse proxy sends the response headers, and with them the instance tag, only with the first bytes of the body),
// "consent" with the authorization URL if this request had to ask the user (as a chat reply would show the link
// while the agent waits), then "result" with a fingerprint of the token (never the token) or the failure.
app.MapPost("/users/{subject}/token", async (HttpContext context, string subject, WorkloadIdentity identity, UserFederation federation, PublishedConsents consents) =>
{
    var cancellationToken = context.RequestAborted;
    var workloadToken = identity.IssueForVerifiedUser(userIssuer, subject);
    context.Response.ContentType = "application/x-ndjson";
    await ScaleHost.WriteLineAsync(context.Response, new TokenCallLine(TokenCallLine.Accepted), cancellationToken);

    using var watch = consents.Watch(identity.Validate(workloadToken).UserKey);
    var token = FetchAsync(federation, workloadToken, cancellationToken);
    if (await Task.WhenAny(token, watch.Presented) == watch.Presented)
    {
        await ScaleHost.WriteLineAsync(context.Response, new TokenCallLine(TokenCallLine.Consent) { AuthorizationUrl = (await watch.Presented).AbsoluteUri }, cancellationToken);
    }

    await ScaleHost.WriteLineAsync(context.Response, await token, cancellationToken);
});

app.MapIdentityGuardConsentCallback("/consent/callback");
app.Run();

static async Task<TokenCallLine> FetchAsync(UserFederation federation, WorkloadAccessToken workloadToken, CancellationToken cancellationToken)
{
    try
    {
        var token = await federation.GetAccessTokenAsync(workloadToken, ScaleHost.Provider, [ScaleHost.Scope], cancellationToken: cancellationToken);
        return new TokenCallLine(TokenCallLine.Result) { Fingerprint = ScaleHost.Fingerprint(token.RevealValue()), ExpiresAt = token.ExpiresAt };
    }
    catch (Exception ex) when (ex is CredentialUnavailableException or WorkloadAccessTokenException)
    {
        return new TokenCallLine(TokenCallLine.Result) { Error = ex.GetType().Name + ": " + ex.Message };
    }
}

static string Required(IConfiguration configuration, string key) =>
    configuration[key] is { Length: > 0 } value ? value : throw new InvalidOperationException($"The setting {key} is required.");

/// <summary>One line of a token call's answer: <see cref="Accepted"/>, <see cref="Consent"/> or <see cref="Result"/>.</summary>
internal sealed record TokenCallLine(string Kind)
{
    public const string Accepted = "accepted";
    public const string Consent = "consent";
    public const string Result = "result";

    public string? AuthorizationUrl { get; init; }

    public string? Fingerprint { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public string? Error { get; init; }
}

internal static class ScaleHost
{
    public const string Provider = "Sales";
    public const string Scope = "sales.read";
    public const string InstanceHeader = "X-Agent-Instance";

    public static string Fingerprint(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..16];

    public static async Task WriteLineAsync(HttpResponse response, TokenCallLine line, CancellationToken cancellationToken)
    {
        await response.WriteAsync(JsonSerializer.Serialize(line, JsonSerializerOptions.Web) + "\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}

/// <summary>
/// Shows consent requests the way a chat UI would: to the request of the user that is waiting for it. Each token call
/// watches for its user's request while it waits.
/// </summary>
internal sealed class PublishedConsents : IConsentHandler
{
    private readonly ConcurrentDictionary<ConsentWatch, string> _watches = new();

    public ConsentWatch Watch(string user)
    {
        var watch = new ConsentWatch(w => _watches.TryRemove(w, out _));
        _watches[watch] = user;
        return watch;
    }

    public ValueTask PresentAsync(ConsentRequest request, CancellationToken cancellationToken)
    {
        foreach (var (watch, user) in _watches)
        {
            if (string.Equals(user, request.User, StringComparison.Ordinal))
            {
                watch.Show(request.AuthorizationUrl);
            }
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>One waiting request's view of the consent requests presented for its user.</summary>
internal sealed class ConsentWatch(Action<ConsentWatch> remove) : IDisposable
{
    private readonly TaskCompletionSource<Uri> _presented = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The authorization URL of the first consent request presented for the user after the watch began.</summary>
    public Task<Uri> Presented => _presented.Task;

    public void Show(Uri authorizationUrl) => _presented.TrySetResult(authorizationUrl);

    public void Dispose() => remove(this);
}

/// <summary>
/// Stands for an instance that dies in the middle of a refresh: the refresh request never leaves, and the process
/// says so on its standard output so the test can kill it at exactly that point.
/// </summary>
internal sealed class HangingRefresh : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        if (body.Contains("grant_type=refresh_token", StringComparison.Ordinal))
        {
            await Console.Out.WriteLineAsync("scale-host: refresh started and hanging");
            await Console.Out.FlushAsync(cancellationToken);
            await Task.Delay(Timeout.InfiniteTimeSpan, CancellationToken.None);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
