using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
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

// Ready once the store answers and the shared key ring is loaded (issuing a workload token needs both the keys and,
// on an empty ring, creates the first key).
app.MapGet("/health", async (WorkloadIdentity identity, IGrantStore store) =>
{
    identity.Validate(identity.IssueForVerifiedUser(userIssuer, "health"));
    await store.GetAsync(new GrantKey(manifest.Workload, "health", ScaleHost.Provider));
    return Results.Ok(Environment.ProcessId);
});

// The user's token for the sales scope, fetched by `callers` concurrent callers. Answers fingerprints, never tokens.
app.MapPost("/users/{subject}/token", async (string subject, int? callers, WorkloadIdentity identity, UserFederation federation, CancellationToken cancellationToken) =>
{
    var workloadToken = identity.IssueForVerifiedUser(userIssuer, subject);
    var results = await Task.WhenAll(Enumerable.Range(0, callers ?? 1).Select(_ => Task.Run(async () =>
    {
        try
        {
            var token = await federation.GetAccessTokenAsync(workloadToken, ScaleHost.Provider, [ScaleHost.Scope], cancellationToken: cancellationToken);
            return new CallerResult(ScaleHost.Fingerprint(token.RevealValue()), token.ExpiresAt, null);
        }
        catch (Exception ex) when (ex is CredentialUnavailableException or WorkloadAccessTokenException)
        {
            return new CallerResult(null, null, ex.GetType().Name + ": " + ex.Message);
        }
    })));
    return Results.Json(results);
});

// The consent request this instance presented for the user, as a UI would show it.
app.MapGet("/users/{subject}/consent-request", (string subject, WorkloadIdentity identity, PublishedConsents consents) =>
    consents.Latest.TryGetValue(identity.Validate(identity.IssueForVerifiedUser(userIssuer, subject)).UserKey, out var request)
        ? Results.Text(request.AuthorizationUrl.AbsoluteUri)
        : Results.NotFound());

app.MapIdentityGuardConsentCallback("/consent/callback");
app.Run();

static string Required(IConfiguration configuration, string key) =>
    configuration[key] is { Length: > 0 } value ? value : throw new InvalidOperationException($"The setting {key} is required.");

/// <summary>What one caller got: the token's fingerprint and expiry, or the failure.</summary>
internal sealed record CallerResult(string? Fingerprint, DateTimeOffset? ExpiresAt, string? Error);

internal static class ScaleHost
{
    public const string Provider = "Sales";
    public const string Scope = "sales.read";

    public static string Fingerprint(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..16];
}

/// <summary>Shows consent requests the way a UI would: it keeps the latest per user for the test's browser to open.</summary>
internal sealed class PublishedConsents : IConsentHandler
{
    public ConcurrentDictionary<string, ConsentRequest> Latest { get; } = new(StringComparer.Ordinal);

    public ValueTask PresentAsync(ConsentRequest request, CancellationToken cancellationToken)
    {
        Latest[request.User] = request;
        return ValueTask.CompletedTask;
    }
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
