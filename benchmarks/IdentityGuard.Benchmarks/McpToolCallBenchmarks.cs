using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO.Pipelines;
using System.Linq;
using System.Security.Claims;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using IdentityGuard.AspNetCore;
using IdentityGuard.Authorization;
using IdentityGuard.Mcp.Requirements;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace IdentityGuard.Benchmarks;

/// <summary>
/// A whole <c>tools/call</c> through the MCP SDK (client and server over in-memory pipes, JSON-RPC serialization
/// included), with and without IdentityGuard's tool filters. Both servers see the same signed-in caller; the
/// IdentityGuard one checks the tool's required scope before it runs, sets the inbound-token context, and (in the
/// third case) issues the caller's workload access token for user-federation providers.
/// </summary>
[MemoryDiagnoser]
public class McpToolCallBenchmarks
{
    private const string Resource = "https://mcp.example.com/mcp";
    private static readonly Dictionary<string, object?> s_arguments = new() { ["text"] = "hello" };

    private Server _plain = null!;
    private Server _guarded = null!;
    private Server _guardedWithWorkload = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _plain = await Server.StartAsync(identityGuard: false, workload: false);
        _guarded = await Server.StartAsync(identityGuard: true, workload: false);
        _guardedWithWorkload = await Server.StartAsync(identityGuard: true, workload: true);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _plain.DisposeAsync();
        await _guarded.DisposeAsync();
        await _guardedWithWorkload.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "tools/call, no IdentityGuard")]
    public ValueTask<CallToolResult> WithoutIdentityGuard() => _plain.Client.CallToolAsync("echo", s_arguments);

    [Benchmark(Description = "tools/call, IdentityGuard requirement check")]
    public ValueTask<CallToolResult> WithRequirementCheck() => _guarded.Client.CallToolAsync("echo", s_arguments);

    [Benchmark(Description = "tools/call, IdentityGuard check + workload context")]
    public ValueTask<CallToolResult> WithRequirementCheckAndWorkloadContext() => _guardedWithWorkload.Client.CallToolAsync("echo", s_arguments);

    /// <summary>The benchmark's tool: echoes its argument.</summary>
    [McpServerToolType]
    public sealed class EchoTools
    {
        /// <summary>Echoes.</summary>
        [McpServerTool(Name = "echo"), Description("Echoes the text.")]
        [RequireScopes("mcp.echo")]
        public static string Echo(string text) => text;
    }

    internal sealed class Server : IAsyncDisposable
    {
        private readonly IHost _host;

        private Server(IHost host, McpClient client)
        {
            _host = host;
            Client = client;
        }

        public McpClient Client { get; }

        public IServiceProvider Services => _host.Services;

        public bool HasWorkloadIdentity => _host.Services.GetService<IdentityGuard.Workload.WorkloadIdentity>() is not null;

        public static ClaimsPrincipal Principal { get; } = new(new VerifiedCallerIdentity(Caller(), [new Claim("sub", "maria", ClaimValueTypes.String, "https://login.example.com/")], "IdentityGuard"));

        public static async Task<Server> StartAsync(bool identityGuard, bool workload)
        {
            var toServer = new Pipe();
            var toClient = new Pipe();
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Logging.ClearProviders();
            var caller = Principal;
            builder.Services.AddMcpServer()
                .WithStreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream())
                .WithTools<EchoTools>()

                // Both servers see the caller as an authenticated HTTP transport would give it.
                .WithMessageFilters(filters => filters.AddIncomingFilter(next => (context, cancellationToken) =>
                {
                    context.User = caller;
                    return next(context, cancellationToken);
                }));
            if (identityGuard)
            {
                builder.Services.AddIdentityGuardRuntime(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build())
                    .AddAuthorizer(authorizer =>
                    {
                        authorizer.Authority = new Uri("https://login.example.com/");
                        authorizer.Audiences.Add(Resource);
                    })
                    .AddMcp(options => options.Resource = new Uri(Resource));
            }

            if (workload)
            {
                // The vault registers the workload identity that issues each call's workload access token.
                var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["IdentityGuard:Vault:DatabasePath"] = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "identityguard-benchmarks", Guid.NewGuid().ToString("N"), "vault.db"),
                }).Build();
                builder.Services.AddIdentityGuardRuntime(configuration, new IdentityGuard.Manifest.CredentialManifest("benchmark-server", [])).AddVault();
            }

            var host = builder.Build();
            await host.StartAsync();
            var client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()));
            return new Server(host, client);
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await _host.StopAsync();
            _host.Dispose();
        }

        private static VerifiedCaller Caller() => new(
            "maria",
            "https://login.example.com/",
            "desktop-assistant",
            ["mcp.echo"],
            [Resource],
            DateTimeOffset.UtcNow.AddHours(1),
            new Dictionary<string, IReadOnlyList<string>>(),
            new InboundAccessToken("eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYXJpYSJ9.", DateTimeOffset.UtcNow.AddHours(1)));
    }
}

/// <summary>
/// The requirement check alone: IdentityGuard's call-tool filter around a tool that returns at once, against calling
/// the tool directly (no transport, no serialization).
/// </summary>
[MemoryDiagnoser]
public class McpToolGateBenchmarks
{
    private static readonly CallToolResult s_result = new() { Content = [new TextContentBlock { Text = "hello" }] };
    private static readonly McpRequestHandler<CallToolRequestParams, CallToolResult> s_tool = static (_, _) => ValueTask.FromResult(s_result);

    private McpToolCallBenchmarks.Server _guarded = null!;
    private McpToolCallBenchmarks.Server _guardedWithWorkload = null!;
    private RequestContext<CallToolRequestParams> _request = null!;
    private RequestContext<CallToolRequestParams> _requestWithWorkload = null!;
    private IdentityGuard.Mcp.Tools.McpToolGate _gate = null!;
    private IdentityGuard.Mcp.Tools.McpToolGate _gateWithWorkload = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _guarded = await McpToolCallBenchmarks.Server.StartAsync(identityGuard: true, workload: false);
        _guardedWithWorkload = await McpToolCallBenchmarks.Server.StartAsync(identityGuard: true, workload: true);
        (_gate, _request) = Prepare(_guarded);
        (_gateWithWorkload, _requestWithWorkload) = Prepare(_guardedWithWorkload);
        if (_guarded.HasWorkloadIdentity || !_guardedWithWorkload.HasWorkloadIdentity)
        {
            throw new InvalidOperationException("Only the second server should issue workload access tokens.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _guarded.DisposeAsync();
        await _guardedWithWorkload.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "tool called directly")]
    public ValueTask<CallToolResult> Direct() => s_tool(_request, default);

    [Benchmark(Description = "through IdentityGuard's call-tool filter")]
    public ValueTask<CallToolResult> Gate() => _gate.CallToolAsync(_request, s_tool, default);

    [Benchmark(Description = "through the filter, with the workload context")]
    public ValueTask<CallToolResult> GateWithWorkloadContext() => _gateWithWorkload.CallToolAsync(_requestWithWorkload, s_tool, default);

    private static (IdentityGuard.Mcp.Tools.McpToolGate, RequestContext<CallToolRequestParams>) Prepare(McpToolCallBenchmarks.Server server)
    {
        var services = server.Services;
        var mcp = services.GetRequiredService<McpServer>();
        var tool = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<McpServerOptions>>().Value.ToolCollection!.Single(t => t.ProtocolTool.Name == "echo");
        var request = new RequestContext<CallToolRequestParams>(mcp, new JsonRpcRequest { Method = RequestMethods.ToolsCall, Id = new RequestId(1) }, new CallToolRequestParams { Name = "echo" })
        {
            User = McpToolCallBenchmarks.Server.Principal,
            MatchedPrimitive = tool,
        };
        return (services.GetRequiredService<IdentityGuard.Mcp.Tools.McpToolGate>(), request);
    }
}
