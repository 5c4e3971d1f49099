using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Demo.Tests;

/// <summary>
/// The two-run sample in miniature: a server with a data directory and a fixed port is stopped and started again, and
/// what the client got before the restart still works after it, without the user being asked again.
/// </summary>
public sealed class PersistenceTests : IDisposable
{
    private const string AgentId = "brief-agent";
    private const string MachineClientId = "nightly-report";
    private static readonly Uri RedirectUri = new("http://127.0.0.1/callback");

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "identityguard-demo-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = new();

    [Fact]
    public async Task GrantSurvivesRestartsWithTheSameDataDirectoryAndPort()
    {
        var port = GetFreePort();

        // Secrets are made at run time and differ per start, as a sample would do; the store must pick up the new one.
        var firstSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        TokenResponse tokens;
        Uri firstIssuer;
        await using (var idp = await DemoIdentityProvider.StartAsync(CreateOptions(port, firstSecret)))
        {
            firstIssuer = idp.Issuer;
            tokens = await AuthorizationCodeFlow.SignInAsync(
                _http, idp, "alice", AgentId, RedirectUri, "openid offline_access crm.notes.read finance.spend.read docs.briefs.write");
            Assert.NotNull(tokens.RefreshToken);
            Assert.Equal(1, idp.ConsentLog.Count);
        }

        var secondSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await using (var idp = await DemoIdentityProvider.StartAsync(CreateOptions(port, secondSecret)))
        {
            Assert.Equal(firstIssuer, idp.Issuer);

            // Fresh APIs, so the old token is checked against the keys the restarted server publishes, not a cache.
            await using var apis = await DemoBusinessApis.StartAsync(new DemoBusinessApisOptions(idp.Issuer));
            using (var notes = await GetAsync(apis.Crm, "clients/acme/notes", tokens.AccessToken!))
            {
                Assert.Equal(HttpStatusCode.OK, notes.StatusCode);
            }

            var refreshed = await AuthorizationCodeFlow.RefreshAsync(_http, idp.TokenEndpoint, AgentId, tokens.RefreshToken!);
            Assert.True(refreshed.Status == HttpStatusCode.OK, refreshed.Body.ToString());
            using (var spend = await GetAsync(apis.Finance, "clients/acme/spend", refreshed.AccessToken!))
            {
                Assert.Equal(HttpStatusCode.OK, spend.StatusCode);
            }

            Assert.All(apis.Crm.Calls, call => Assert.Equal("alice", call.Subject));
            Assert.Equal("alice", Assert.Single(apis.Finance.Calls).Subject);
            Assert.Equal(0, idp.AuthorizationRequestCount);
            Assert.Equal(0, idp.ConsentLog.Count);

            // Re-seeding updated the existing client rather than duplicating it or keeping the old secret.
            var withNew = await TokenRequests.ClientCredentialsAsync(_http, idp.TokenEndpoint, MachineClientId, secondSecret, "crm.notes.read");
            var withOld = await TokenRequests.ClientCredentialsAsync(_http, idp.TokenEndpoint, MachineClientId, firstSecret, "crm.notes.read");
            Assert.NotNull(withNew.AccessToken);
            Assert.Equal("invalid_client", withOld.Error);

            // Revocation is stored too.
            await AuthorizationCodeFlow.RevokeAsync(_http, idp.RevocationEndpoint, AgentId, refreshed.RefreshToken!);
            var afterRevocation = await AuthorizationCodeFlow.RefreshAsync(_http, idp.TokenEndpoint, AgentId, refreshed.RefreshToken!);
            Assert.Equal("invalid_grant", afterRevocation.Error);
        }

        // A third start with a short refresh token lifetime: an expired refresh token is refused like a revoked one.
        var shortLived = CreateOptions(port, secondSecret);
        shortLived.RefreshTokenLifetime = TimeSpan.FromSeconds(1);
        await using (var idp = await DemoIdentityProvider.StartAsync(shortLived))
        {
            var expiring = await AuthorizationCodeFlow.SignInAsync(_http, idp, "alice", AgentId, RedirectUri, "offline_access crm.notes.read");
            await Task.Delay(TimeSpan.FromSeconds(2));
            var afterExpiry = await AuthorizationCodeFlow.RefreshAsync(_http, idp.TokenEndpoint, AgentId, expiring.RefreshToken!);
            Assert.Equal("invalid_grant", afterExpiry.Error);
        }

        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in Directory.GetFiles(_dataDirectory, "*.pem"))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private DemoIdentityProviderOptions CreateOptions(int port, string machineSecret)
    {
        var options = new DemoIdentityProviderOptions { Port = port, DataDirectory = _dataDirectory };
        DemoBusinessApis.AddScopesTo(options);
        options.Clients.Add(DemoBusinessApis.CreateDelegatedClient(AgentId, RedirectUri));
        var machine = new DemoClient(MachineClientId, machineSecret);
        machine.AllowedScopes.Add(DemoBusinessApis.CrmNotesReadScope);
        options.Clients.Add(machine);
        options.Users.Add(new DemoUser("alice", "Alice Example"));
        return options;
    }

    private async Task<HttpResponseMessage> GetAsync(DemoBusinessApi api, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api.BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    private static int GetFreePort()
    {
        // The OS picks a free port; the tiny window before the server binds it again is acceptable in a test.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
