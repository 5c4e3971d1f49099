using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// The load balancer in front of the agent instances: a YARP reverse proxy on a loopback port, one route for every
/// path, one cluster of the instances' addresses with the round-robin policy and no session affinity. An active health
/// check asks each instance's <c>/health</c> twice a second and takes an instance out of the rotation after two failed
/// probes, so the front keeps working when an instance dies.
/// </summary>
/// <remarks>
/// It runs in the test process, like the identity provider: it is started before anything else (its address is the
/// redirect URI the provider registers and the instances are configured with), instances join it as they become ready,
/// and the test reads its view of their health directly instead of through another process. The instances it balances
/// are separate processes, so killing one leaves the front untouched.
/// </remarks>
internal sealed class RoundRobinFront : IAsyncDisposable
{
    private const string ClusterId = "agent-instances";
    private static readonly RouteConfig[] Routes = [new RouteConfig { RouteId = "everything", ClusterId = ClusterId, Match = new RouteMatch { Path = "{**path}" } }];

    private readonly WebApplication _app;
    private readonly InMemoryConfigProvider _config;
    private readonly IProxyStateLookup _state;
    private readonly Dictionary<string, Uri> _destinations = new(StringComparer.Ordinal);

    private RoundRobinFront(WebApplication app, Uri address)
    {
        _app = app;
        _config = app.Services.GetRequiredService<InMemoryConfigProvider>();
        _state = app.Services.GetRequiredService<IProxyStateLookup>();
        Address = address;
    }

    /// <summary>The front's base address, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri Address { get; }

    public static async Task<RoundRobinFront> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddReverseProxy().LoadFromMemory(Routes, [Cluster(new Dictionary<string, Uri>())]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RoundRobinFront(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>How many instances have joined the rotation (a dead one stays a member; the health check skips it).</summary>
    public int Size
    {
        get
        {
            lock (_destinations)
            {
                return _destinations.Count;
            }
        }
    }

    /// <summary>Adds an instance to the rotation and waits until the front's health check has found it healthy.</summary>
    public async Task JoinAsync(string instance, Uri address)
    {
        lock (_destinations)
        {
            _destinations[instance] = address;
            _config.Update(Routes, [Cluster(_destinations)]);
        }

        await WaitUntilAsync(instance, DestinationHealth.Healthy);
    }

    /// <summary>Waits until the front's health check has taken <paramref name="instance"/> out of the rotation.</summary>
    public Task WaitUntilOutOfRotationAsync(string instance) => WaitUntilAsync(instance, DestinationHealth.Unhealthy);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static ClusterConfig Cluster(IReadOnlyDictionary<string, Uri> destinations) => new()
    {
        ClusterId = ClusterId,
        LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
        SessionAffinity = null,
        HealthCheck = new HealthCheckConfig
        {
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = TimeSpan.FromMilliseconds(500),
                // Generous: a busy instance answers late, a dead one refuses the connection at once.
                Timeout = TimeSpan.FromSeconds(30),
                Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                Path = "/health",
            },
        },
        Destinations = destinations.ToDictionary(d => d.Key, d => new DestinationConfig { Address = d.Value.AbsoluteUri }, StringComparer.Ordinal),
    };

    private async Task WaitUntilAsync(string instance, DestinationHealth health)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_state.TryGetCluster(ClusterId, out var cluster)
                && cluster.Destinations.TryGetValue(instance, out var destination)
                && destination.Health.Active == health)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The front did not see {instance} as {health} within a minute.");
    }
}
