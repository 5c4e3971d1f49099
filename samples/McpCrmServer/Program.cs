using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using McpCrmServer;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

// The MCP CRM server, end to end on loopback: an identity provider, the CRM API, the server, and Maria with the real
// MCP client. She signs in (discovered from the server's 401), calls a tool, approves the CRM in her browser when the
// server asks through URL elicitation, and the retried call returns her notes.
var port = FreePort();
var dataDirectory = Path.Combine(Path.GetTempPath(), "mcp-crm-server-" + Guid.NewGuid().ToString("N"));
var resource = new Uri($"http://127.0.0.1:{port}/mcp");
var clientRedirect = new Uri($"http://127.0.0.1:{FreePort()}/callback");
await using var landscape = await McpDemoLandscape.StartAsync(resource, new Uri($"http://127.0.0.1:{port}/identityguard/consent/callback"), clientRedirect);
var settings = new McpCrmServerSettings(port, landscape.IdentityProvider.DiscoveryUrl, landscape.Apis.Crm.BaseAddress, landscape.Apis.Finance.BaseAddress, landscape.ServerClientSecret, dataDirectory);
await using var server = await McpCrmServerHost.StartAsync(settings);
Console.WriteLine($"MCP server at {settings.Resource}");

await using var maria = await ScriptedMcpUser.ConnectAsync(settings.Resource, "maria", clientRedirect);
Console.WriteLine("tools: " + string.Join(", ", (await maria.Client.ListToolsAsync()).Select(tool => tool.Name)));
var arguments = new Dictionary<string, object?> { ["clientId"] = "acme" };
try
{
    await maria.Client.CallToolAsync("get_client_notes", arguments);
}
catch (UrlElicitationRequiredException elicitation)
{
    var consent = elicitation.Elicitations[0];
    Console.WriteLine($"server asks: {consent.Message}");
    using var approved = await maria.ApproveAsync(new Uri(consent.Url!));
    Console.WriteLine($"approved in the browser: {(int)approved.StatusCode}");
}

var result = await maria.Client.CallToolAsync("get_client_notes", arguments);
Console.WriteLine("notes: " + string.Join(" ", result.Content.OfType<TextContentBlock>().Select(block => block.Text)));
Directory.Delete(dataDirectory, recursive: true);
return 0;

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
