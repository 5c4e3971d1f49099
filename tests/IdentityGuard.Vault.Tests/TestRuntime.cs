using System.Collections.Generic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityGuard.Vault.Tests;

/// <summary>The runtime as an agent without a manifest registers it: the workload named by <c>IdentityGuard:Workload</c>.</summary>
internal static class TestRuntime
{
    public static IdentityGuardBuilder AddRuntimeFor(this IServiceCollection services, string workload, IConfiguration? configuration = null)
    {
        var builder = new ConfigurationBuilder();
        if (configuration is not null)
        {
            builder.AddConfiguration(configuration);
        }

        builder.AddInMemoryCollection(new Dictionary<string, string?> { ["IdentityGuard:Workload"] = workload });
        return services.AddIdentityGuardRuntime(builder.Build());
    }
}
