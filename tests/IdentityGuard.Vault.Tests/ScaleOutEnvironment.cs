using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Demo;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// Several instances of one agent, each a separate OS process (<c>dotnet IdentityGuard.ScaleOut.Host.dll</c>), on one
/// PostgreSQL database, against a real OpenIddict server. The redirect URI names a front address nobody listens on;
/// the test's browser plays the load balancer and delivers each callback to the instance the test picks.
/// </summary>
internal sealed class ScaleOutEnvironment : IAsyncDisposable
{
    public const string ClientId = "scale-agent";
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(12);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ig-scale-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _clientSecret = Guid.NewGuid().ToString("N");
    private readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };
    private readonly List<AgentProcess> _processes = [];
    private string _connectionString = string.Empty;
    private Uri _front = null!;

    private ScaleOutEnvironment()
    {
    }

    public DemoIdentityProvider IdentityProvider { get; private set; } = null!;

    public IReadOnlyList<AgentProcess> Instances => _processes.Where(p => !p.Hangs).ToArray();

    public static async Task<ScaleOutEnvironment> StartAsync(PostgreSqlCluster cluster, int instances)
    {
        var environment = new ScaleOutEnvironment();
        try
        {
            await environment.InitializeAsync(cluster, instances);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    /// <summary>An extra instance whose refreshes never leave the process: it says so on its output, then waits.</summary>
    public Task<AgentProcess> StartHangingInstanceAsync() => StartInstanceAsync(hangs: true);

    /// <summary>
    /// Opens the authorization URL as <paramref name="subject"/> and delivers the provider's redirect to
    /// <paramref name="landOn"/>, whichever instance started the consent.
    /// </summary>
    public async Task<(HttpStatusCode Status, Uri Callback)> ApproveAsync(Uri authorizationUrl, string subject, AgentProcess landOn)
    {
        using var authorization = await _browser.GetAsync(new Uri(authorizationUrl + "&login_hint=" + Uri.EscapeDataString(subject)));
        if (authorization.StatusCode != HttpStatusCode.Found && authorization.StatusCode != HttpStatusCode.Redirect && authorization.StatusCode != HttpStatusCode.SeeOther)
        {
            throw new InvalidOperationException($"The authorization endpoint answered {(int)authorization.StatusCode}, not a redirect.");
        }

        var location = authorization.Headers.Location!;
        if (location.Authority != _front.Authority)
        {
            throw new InvalidOperationException("The provider redirected somewhere other than the registered redirect URI.");
        }

        return (await DeliverAsync(location, landOn), location);
    }

    /// <summary>Sends a callback URL (addressed to the front) to one instance, as the load balancer would.</summary>
    public async Task<HttpStatusCode> DeliverAsync(Uri callback, AgentProcess instance)
    {
        var target = new UriBuilder(callback) { Host = instance.Address.Host, Port = instance.Address.Port }.Uri;
        using var response = await _browser.GetAsync(target);
        return response.StatusCode;
    }

    /// <summary>Runs a consent for <paramref name="subject"/> started on one instance, its callback landing on another.</summary>
    public async Task<CallerResult> ConsentAsync(string subject, AgentProcess startOn, AgentProcess landOn)
    {
        var waiting = startOn.TokenAsync(subject);
        var url = await startOn.ConsentRequestAsync(subject);
        var (status, _) = await ApproveAsync(url, subject, landOn);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The callback on the other instance answered {(int)status}.");
        }

        return (await waiting).Single();
    }

    /// <summary>Waits until the access token obtained with <paramref name="result"/> has expired.</summary>
    public static async Task WaitForExpiryAsync(CallerResult result)
    {
        // Waiting on the clock is the point here: the scenario is what happens after expiry.
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

        _browser.Dispose();
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

    private async Task InitializeAsync(PostgreSqlCluster cluster, int instances)
    {
        Directory.CreateDirectory(_directory);
        _connectionString = await cluster.CreateDatabaseAsync();
        _front = new Uri($"http://127.0.0.1:{FreePort()}/consent/callback");

        var options = DemoIdentityProviderOptions.CreateDefault();
        options.AccessTokenLifetime = AccessTokenLifetime;
        var client = new DemoClient(ClientId, _clientSecret);
        client.AllowedGrantTypes.Clear();
        client.AllowedGrantTypes.Add(DemoGrantTypes.AuthorizationCode);
        client.AllowedGrantTypes.Add(DemoGrantTypes.RefreshToken);
        client.AllowedScopes.Add(DemoApi.SalesReadScope);
        client.RedirectUris.Add(_front);
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
        var name = "instance-" + _processes.Count;
        var settings = new Dictionary<string, string>
        {
            ["ScaleHost__Url"] = address.AbsoluteUri.TrimEnd('/'),
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
            ["IdentityGuard__Consent__RedirectUri"] = _front.AbsoluteUri,
            ["IdentityGuard__Consent__CompletionPollInterval"] = "00:00:00.200",
            ["IdentityGuard__Consent__Timeout"] = "00:01:00",
            ["IdentityGuard__Vault__DatabasePath"] = Path.Combine(_directory, name, "vault.db"),
            ["IdentityGuard__Vault__LeaseDuration"] = "00:00:05",
        };
        var process = AgentProcess.Start(name, address, settings, hangs);
        lock (_processes)
        {
            _processes.Add(process);
        }

        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>What one caller of an instance got: a fingerprint of the token (never the token) and its expiry, or the failure.</summary>
internal sealed record CallerResult(string? Fingerprint, DateTimeOffset? ExpiresAt, string? Error);

/// <summary>One agent instance as a child process, with its output kept for failure messages.</summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _refreshHanging = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpClient _http;

    private AgentProcess(string name, Uri address, Process process, bool hangs)
    {
        Name = name;
        Address = address;
        Hangs = hangs;
        _process = process;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(90) };
    }

    public string Name { get; }

    public Uri Address { get; }

    public bool Hangs { get; }

    /// <summary>Completes when the instance has started a refresh that will never finish.</summary>
    public Task RefreshHanging => _refreshHanging.Task;

    public string Output => string.Join(Environment.NewLine, _output);

    public static AgentProcess Start(string name, Uri address, IReadOnlyDictionary<string, string> settings, bool hangs)
    {
        // The SDK tells test hosts which dotnet runs them; the agents run on the same one.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet, [HostAssembly()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(HostAssembly())!,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var agent = new AgentProcess(name, address, process, hangs);
        process.OutputDataReceived += (_, e) => agent.Record(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri("health", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Name} did not become ready within {timeout}:\n{Output}");
    }

    /// <summary>Asks the instance for the user's token with <paramref name="callers"/> concurrent callers.</summary>
    public async Task<CallerResult[]> TokenAsync(string subject, int callers = 1)
    {
        using var response = await _http.PostAsync(new Uri($"users/{subject}/token?callers={callers}", UriKind.Relative), null);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{Name} answered {(int)response.StatusCode}:\n{Output}");
        }

        return (await response.Content.ReadFromJsonAsync<CallerResult[]>())!;
    }

    /// <summary>The authorization URL this instance presented for the user, once it has.</summary>
    public async Task<Uri> ConsentRequestAsync(string subject)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var response = await _http.GetAsync(new Uri($"users/{subject}/consent-request", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return new Uri(await response.Content.ReadAsStringAsync());
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{Name} presented no consent request for {subject}:\n{Output}");
    }

    /// <summary>kill -9: no shutdown, no lease release.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _http.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (line.Contains("refresh started and hanging", StringComparison.Ordinal))
        {
            _refreshHanging.TrySetResult();
        }
    }

    /// <summary>The host program, built next to this test project with the same configuration.</summary>
    private static string HostAssembly()
    {
        // .../tests/IdentityGuard.Vault.Tests/bin/<Configuration>/net10.0/ → .../tests/IdentityGuard.ScaleOut.Host/bin/<Configuration>/net10.0/
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var tests = testOutput.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, "IdentityGuard.ScaleOut.Host", "bin", configuration, framework, "IdentityGuard.ScaleOut.Host.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The scale-out host was not built; build the test project (it references the host).", path);
    }
}
