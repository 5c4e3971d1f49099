using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IdentityGuard.Demo;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// Several instances of one agent, each a separate OS process (<c>dotnet IdentityGuard.ScaleOut.Host.dll</c>), on one
/// PostgreSQL database, against a real OpenIddict server, behind a round-robin front (<see cref="RoundRobinFront"/>).
/// Everything the test does goes through the front: the agent's token calls (which start consents), and the browser's
/// callback, because the redirect URI the provider and the instances know is the front's. Every answer carries the
/// tag of the instance that gave it, so the tests see where the front sent each request.
/// </summary>
internal sealed class ScaleOutEnvironment : IAsyncDisposable
{
    public const string ClientId = "scale-agent";

    /// <summary>How long refreshed tokens live: longer than any test runs after a refresh, so none expires twice.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(2);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ig-scale-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _clientSecret = Guid.NewGuid().ToString("N");
    private readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(90) };
    private readonly List<AgentProcess> _processes = [];
    private HttpClient _agent = null!;
    private string _connectionString = string.Empty;
    private Uri _redirectUri = null!;

    private ScaleOutEnvironment()
    {
    }

    public DemoIdentityProvider IdentityProvider { get; private set; } = null!;

    public RoundRobinFront Front { get; private set; } = null!;

    /// <summary>The instances that refresh normally (not the hanging one).</summary>
    public IReadOnlyList<AgentProcess> Instances
    {
        get
        {
            lock (_processes)
            {
                return _processes.Where(p => !p.Hangs).ToArray();
            }
        }
    }

    /// <summary>
    /// Starts the front, the provider and <paramref name="instances"/> agent instances in the front's rotation.
    /// <paramref name="consentTokenLifetime"/> is how long the token redeemed at consent lives (refreshed ones live
    /// <see cref="AccessTokenLifetime"/>), so tests about expiry wait seconds, not minutes, yet nothing they get after a
    /// refresh expires while they look at it.
    /// </summary>
    public static async Task<ScaleOutEnvironment> StartAsync(PostgreSqlCluster cluster, int instances, TimeSpan? consentTokenLifetime = null)
    {
        var environment = new ScaleOutEnvironment();
        try
        {
            await environment.InitializeAsync(cluster, instances, consentTokenLifetime);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// An extra instance, in the front's rotation once ready, whose refreshes never leave the process: it says so on its
    /// output, then waits.
    /// </summary>
    public Task<AgentProcess> StartHangingInstanceAsync() => StartInstanceAsync(hangs: true);

    /// <summary>Starts a token call for <paramref name="subject"/> through the front.</summary>
    public Task<TokenCall> StartTokenCallAsync(string subject) => TokenCall.StartAsync(_agent, subject);

    /// <summary>One caller's token for <paramref name="subject"/> through the front.</summary>
    public async Task<CallerResult> TokenAsync(string subject)
    {
        using var call = await StartTokenCallAsync(subject);
        return await call.ResultAsync();
    }

    /// <summary>
    /// Opens the authorization URL as <paramref name="subject"/> and follows the provider's redirect, which leads to the
    /// front; the front hands the callback to whichever instance is next.
    /// </summary>
    public async Task<(HttpStatusCode Status, string? Instance, Uri Callback)> ApproveAsync(Uri authorizationUrl, string subject)
    {
        using var authorization = await _browser.GetAsync(new Uri(authorizationUrl + "&login_hint=" + Uri.EscapeDataString(subject)));
        if (authorization.StatusCode is not (HttpStatusCode.Found or HttpStatusCode.Redirect or HttpStatusCode.SeeOther))
        {
            throw new InvalidOperationException($"The authorization endpoint answered {(int)authorization.StatusCode}, not a redirect.");
        }

        var callback = authorization.Headers.Location!;
        if (callback.GetLeftPart(UriPartial.Path) != _redirectUri.AbsoluteUri)
        {
            throw new InvalidOperationException("The provider redirected somewhere other than the front's redirect URI.");
        }

        var (status, instance) = await BrowseAsync(callback);
        return (status, instance, callback);
    }

    /// <summary>The browser opening <paramref name="url"/> (on the front): the status and the instance that answered.</summary>
    public async Task<(HttpStatusCode Status, string? Instance)> BrowseAsync(Uri url)
    {
        using var response = await _browser.GetAsync(url);
        return (response.StatusCode, TokenCall.InstanceOf(response));
    }

    /// <summary>
    /// Runs a consent for <paramref name="subject"/> through the front: the token call that starts it goes to one
    /// instance, the browser's callback to whichever the front picks next.
    /// </summary>
    public async Task<(string? StartedOn, string? CompletedOn, CallerResult Result)> ConsentAsync(string subject)
    {
        using var call = await StartTokenCallAsync(subject);
        var (status, completedOn, _) = await ApproveAsync(await call.ConsentUrlAsync(), subject);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The callback answered {(int)status} on {completedOn}.");
        }

        return (call.Instance, completedOn, await call.ResultAsync());
    }

    /// <summary>The instance that answers the next cheap request (<c>GET /health</c>) through the front.</summary>
    public async Task<string?> WhoAnswersAsync()
    {
        using var response = await _agent.GetAsync(new Uri("health", UriKind.Relative));
        return TokenCall.InstanceOf(response);
    }

    /// <summary>
    /// Sends cheap requests through the front until the next request will go to <paramref name="instance"/>. Round-robin
    /// visits every instance in the rotation once per cycle, so after a request lands on it, as many more requests as
    /// there are other instances bring the turn back to it. The caller checks where its request did land.
    /// </summary>
    public async Task TurnToAsync(AgentProcess instance)
    {
        var rotation = Front.Size;
        for (var i = 0; i < 2 * rotation; i++)
        {
            if (await WhoAnswersAsync() == instance.Name)
            {
                for (var other = 1; other < rotation; other++)
                {
                    await WhoAnswersAsync();
                }

                return;
            }
        }

        throw new InvalidOperationException($"The front never sent a request to {instance.Name}.");
    }

    /// <summary>Waits until the access token obtained with <paramref name="result"/> has expired.</summary>
    public static async Task WaitForExpiryAsync(CallerResult result)
    {
        // Waiting on the clock is the point here: the scenario is what happens after expiry. The consented token is
        // made short-lived (StartAsync's consentTokenLifetime), so this is a few seconds.
        var remaining = result.ExpiresAt!.Value - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _agent?.Dispose();
        _browser.Dispose();
        if (Front is not null)
        {
            await Front.DisposeAsync();
        }

        if (IdentityProvider is not null)
        {
            await IdentityProvider.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task InitializeAsync(PostgreSqlCluster cluster, int instances, TimeSpan? consentTokenLifetime)
    {
        Directory.CreateDirectory(_directory);

        // First, because its address is the redirect URI the provider registers and the instances send.
        Front = await RoundRobinFront.StartAsync();
        _redirectUri = new Uri(Front.Address, "consent/callback");
        _agent = new HttpClient { BaseAddress = Front.Address, Timeout = TimeSpan.FromSeconds(90) };

        _connectionString = await cluster.CreateDatabaseAsync();
        var options = DemoIdentityProviderOptions.CreateDefault();
        options.AccessTokenLifetime = AccessTokenLifetime;
        options.ConsentAccessTokenLifetime = consentTokenLifetime;
        var client = new DemoClient(ClientId, _clientSecret);
        client.AllowedGrantTypes.Clear();
        client.AllowedGrantTypes.Add(DemoGrantTypes.AuthorizationCode);
        client.AllowedGrantTypes.Add(DemoGrantTypes.RefreshToken);
        client.AllowedScopes.Add(DemoApi.SalesReadScope);
        client.RedirectUris.Add(_redirectUri);
        options.Clients.Add(client);
        foreach (var user in new[] { "alice", "bob", "carol" })
        {
            options.Users.Add(new DemoUser(user, user));
        }

        IdentityProvider = await DemoIdentityProvider.StartAsync(options);

        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=IdentityGuard scale-out key encryption (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllBytesAsync(CertificatePath, certificate.Export(X509ContentType.Pkcs12, CertificatePassword));
        }

        // The first instance creates the shared key ring; the others start together once it exists.
        await StartInstanceAsync(hangs: false);
        await Task.WhenAll(Enumerable.Range(1, instances - 1).Select(_ => StartInstanceAsync(hangs: false)));
    }

    private string CertificatePath => Path.Combine(_directory, "keys.pfx");

    private string CertificatePassword => _clientSecret;

    private async Task<AgentProcess> StartInstanceAsync(bool hangs)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}/");
        AgentProcess process;
        lock (_processes)
        {
            var name = "instance-" + _processes.Count;
            var settings = new Dictionary<string, string>
            {
                ["ScaleHost__Url"] = address.AbsoluteUri.TrimEnd('/'),
                ["ScaleHost__InstanceId"] = name,
                ["ScaleHost__ConnectionString"] = _connectionString,
                ["ScaleHost__DiscoveryUrl"] = IdentityProvider.DiscoveryUrl.AbsoluteUri,
                ["ScaleHost__UserIssuer"] = IdentityProvider.Issuer.AbsoluteUri,
                ["ScaleHost__ClientId"] = ClientId,
                ["ScaleHost__ClientSecret"] = _clientSecret,
                ["ScaleHost__KeyCertificatePath"] = CertificatePath,
                ["ScaleHost__KeyCertificatePassword"] = CertificatePassword,
                ["ScaleHost__HangRefreshes"] = hangs ? "true" : "false",
                ["ScaleHost__RefreshTimeout"] = "00:00:04",
                ["ScaleHost__LeaseWaitTimeout"] = "00:00:40",
                ["IdentityGuard__Consent__RedirectUri"] = _redirectUri.AbsoluteUri,
                ["IdentityGuard__Consent__CompletionPollInterval"] = "00:00:00.200",
                ["IdentityGuard__Consent__Timeout"] = "00:01:00",
                ["IdentityGuard__Vault__DatabasePath"] = Path.Combine(_directory, name, "vault.db"),
                ["IdentityGuard__Vault__LeaseDuration"] = "00:00:05",
            };
            process = AgentProcess.Start(name, address, settings, hangs);
            _processes.Add(process);
        }

        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        await Front.JoinAsync(process.Name, process.Address);
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
