using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using IdentityGuard.Demo;
using McpCrmServer;
using Microsoft.AspNetCore.Builder;

namespace IdentityGuard.Mcp.Tests;

/// <summary>The identity provider, the CRM API and the MCP CRM server on loopback, fresh for one test.</summary>
internal sealed class McpLandscape : IAsyncDisposable
{
    private McpLandscape(McpDemoLandscape landscape, McpCrmServerHost server, Uri clientRedirect, string dataDirectory)
    {
        Landscape = landscape;
        Server = server;
        ClientRedirect = clientRedirect;
        DataDirectory = dataDirectory;
    }

    public McpDemoLandscape Landscape { get; }

    public McpCrmServerHost Server { get; }

    public Uri Resource => Server.Settings.Resource;

    public Uri ClientRedirect { get; }

    private string DataDirectory { get; }

    public static async Task<McpLandscape> StartAsync(Action<DemoIdentityProviderOptions>? configureIdentityProvider = null, Action<WebApplicationBuilder, McpCrmServerSettings>? configureServer = null, Microsoft.Extensions.Logging.ILoggerProvider? log = null)
    {
        // The server's port is part of its resource URL, so it is chosen before the server starts; on a busy machine
        // another process can take it in between. Then the whole landscape starts again on new ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(configureIdentityProvider, configureServer, log);
            }
            catch (IOException ex) when (attempt < 5 && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    private static async Task<McpLandscape> StartOnceAsync(Action<DemoIdentityProviderOptions>? configureIdentityProvider, Action<WebApplicationBuilder, McpCrmServerSettings>? configureServer, Microsoft.Extensions.Logging.ILoggerProvider? log)
    {
        var port = FreePort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "identityguard-mcp-tests", Guid.NewGuid().ToString("N"));
        var resource = new Uri($"http://127.0.0.1:{port}/mcp");
        var clientRedirect = new Uri($"http://127.0.0.1:{FreePort()}/callback");
        var landscape = await McpDemoLandscape.StartAsync(resource, new Uri($"http://127.0.0.1:{port}/identityguard/consent/callback"), clientRedirect, configureIdentityProvider);
        try
        {
            var settings = new McpCrmServerSettings(port, landscape.IdentityProvider.DiscoveryUrl, landscape.Apis.Crm.BaseAddress, landscape.Apis.Finance.BaseAddress, landscape.ServerClientSecret, dataDirectory) { LoggerProvider = log };
            var server = await McpCrmServerHost.StartAsync(settings, builder => configureServer?.Invoke(builder, settings));
            return new McpLandscape(landscape, server, clientRedirect, dataDirectory);
        }
        catch
        {
            await landscape.DisposeAsync();
            throw;
        }
    }

    public Task<ScriptedMcpUser> ConnectAsync(string subject, HttpObserver? observer = null, bool urlElicitation = true) =>
        ScriptedMcpUser.ConnectAsync(Resource, subject, ClientRedirect, observer, urlElicitation);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Landscape.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not hide a test result.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
