using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Tests.Federation;

public sealed class LoopbackListenerTests
{
    [Fact]
    public async Task An_ipv6_loopback_redirect_uri_fails_with_a_clear_error_where_the_platform_cannot_listen_on_it()
    {
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var redirect = new Uri($"http://[::1]:{FreePort(IPAddress.IPv6Loopback)}/cb");
        if (OperatingSystem.IsWindows())
        {
            await using var listener = new IdentityGuard.Federation.LoopbackConsentListener(env.Federation, redirect);
            listener.Start();
            return;
        }

        var error = Assert.Throws<ArgumentException>(() => new IdentityGuard.Federation.LoopbackConsentListener(env.Federation, redirect));
        Assert.Contains("http://127.0.0.1:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_listener_answers_on_the_ipv4_loopback_address()
    {
        const string host = "127.0.0.1";
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var port = FreePort(IPAddress.Loopback);
        var redirect = new Uri($"http://{host}:{port}/cb");
        await using var listener = new IdentityGuard.Federation.LoopbackConsentListener(env.Federation, redirect);
        listener.Start();

        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(redirect, "?state=unknown&code=x"));

        // Unknown state: refused, but answered by the listener on that address.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    private static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
