using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using IdentityGuard.Authorization;
using IdentityGuard.Demo;
using IdentityGuard.Providers;
using IdentityGuard.Tests.Federation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IdentityGuard.Tests.Composition;

/// <summary>
/// One workload name: <c>IdentityGuard:Workload</c> overrides the manifest's for every part, so user federation, the
/// vault, the workload identity and the inbound authorizer audit one agent under one name.
/// </summary>
public sealed class WorkloadNameTests
{
    private const string Configured = "configured-brief-agent";

    [Fact]
    public async Task User_federation_and_the_authorizer_audit_the_same_configured_name()
    {
        await using var env = await FederationEnvironment.StartAsync(
            settings: new Dictionary<string, string?> { ["IdentityGuard:Workload"] = Configured },
            configureAgent: services => services.AddIdentityGuardRuntime(new ConfigurationBuilder().Build()).AddAuthorizer(authorizer =>
            {
                authorizer.Authority = new Uri("https://login.example.com/");
                authorizer.Audiences.Add(FederationEnvironment.ClientId);
            }));
        var alice = env.SignIn("alice");

        // A full consent: workload token, denial for want of a grant, consent requested and granted, token issued.
        await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, [DemoApi.SalesReadScope]);
        var federationKinds = env.Audit.Events.Select(e => e.Kind).ToHashSet();
        var before = env.Audit.Events.Count;
        var refused = await env.Services.GetRequiredService<JwtAuthorizer>().ValidateAsync(token: null);

        Assert.False(refused.Succeeded);
        Assert.Contains(Audit.AuditEventKind.ConsentGranted, federationKinds);
        Assert.Contains(Audit.AuditEventKind.Denied, env.Audit.Events.Skip(before).Select(e => e.Kind));
        Assert.Equal([Configured], env.Audit.Events.Select(e => e.Workload).Distinct());
        Assert.Equal(Configured, env.Services.GetRequiredService<CredentialProviderRegistry>().Workload);
        Assert.Equal(Configured, env.Workloads.WorkloadName);
    }
}
