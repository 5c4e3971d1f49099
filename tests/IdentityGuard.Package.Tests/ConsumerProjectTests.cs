using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading.Tasks;
using IdentityGuard.Demo;
using Xunit;

namespace IdentityGuard.Package.Tests;

/// <summary>The package as users get it: packed, restored from a feed by a new project, built and run.</summary>
public sealed class ConsumerProjectTests : IClassFixture<PackedPackage>
{
    private readonly PackedPackage _package;

    public ConsumerProjectTests(PackedPackage package) => _package = package;

    [Fact]
    public void The_package_carries_runtime_generator_build_logic_and_schema()
    {
        using var archive = ZipFile.OpenRead(_package.PackagePath);
        var entries = archive.Entries.Select(entry => entry.FullName).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("lib/net8.0/IdentityGuard.dll", entries);
        Assert.Contains("lib/net10.0/IdentityGuard.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/IdentityGuard.Generators.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/IdentityGuard.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/IdentityGuard.Analyzers.CodeFixes.dll", entries);
        Assert.Contains("build/IdentityGuard.props", entries);
        Assert.Contains("build/IdentityGuard.targets", entries);
        Assert.Contains("schema/identityguard.schema.json", entries);
        Assert.Contains("presets/recommended.globalconfig", entries);
        Assert.Contains("presets/strict.globalconfig", entries);
        Assert.Contains("presets/minimal.globalconfig", entries);
        Assert.Contains("presets/none.globalconfig", entries);
        Assert.DoesNotContain(entries, entry => entry.StartsWith("lib/", StringComparison.Ordinal) && entry.Contains("Generators", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_consumer_project_builds_from_the_package_and_gets_real_tokens()
    {
        var options = DemoIdentityProviderOptions.CreateDefault();
        options.AccessTokenLifetime = TimeSpan.FromMinutes(5);
        await using var identityProvider = await DemoIdentityProvider.StartAsync(options);
        await using var api = await DemoApi.StartAsync(new DemoApiOptions(identityProvider.Issuer));
        var consumer = _package.CreateConsumer("consumer");

        var build = await ProcessRunner.RunAsync("dotnet", ["build", "-c", "Release", "--disable-build-servers"], consumer);
        Assert.True(build.ExitCode == 0, $"The consumer did not build:\n{build.Output}");

        var dll = Path.Combine(consumer, "bin", "Release", "net10.0", "Consumer.dll");
        var run = await ProcessRunner.RunAsync("dotnet", [dll], consumer, new Dictionary<string, string>
        {
            ["IdentityGuard__Providers__Reports__TokenEndpoint"] = identityProvider.TokenEndpoint.ToString(),
            ["CONSUMER_REPORTS_SECRET"] = "demo-agent-secret",
            ["CONSUMER_WEATHER_KEY"] = DemoApiOptions.DefaultApiKey,
            ["CONSUMER_API"] = api.BaseAddress.ToString(),
        }, TimeSpan.FromMinutes(2));

        Assert.True(run.ExitCode == 0, $"The consumer failed:\n{run.Output}");
        Assert.Contains("accessor: Bearer access token [redacted]", run.Output, StringComparison.Ordinal);
        Assert.Contains("sales: 3 records", run.Output, StringComparison.Ordinal);
        Assert.Contains("workload: consumer-agent", run.Output, StringComparison.Ordinal);
        Assert.Equal(1, identityProvider.TokenRequestCount);
        Assert.Equal(0, api.UnauthorizedCount);
    }

    [Fact]
    public async Task A_malformed_manifest_fails_the_build_with_a_located_diagnostic()
    {
        const string manifest = """
            {
              "workload": "consumer-agent",
              "providers": {
                "Reports": { "kind": "oauth3", "flow": "m2m" }
              }
            }
            """;
        var consumer = _package.CreateConsumer("broken", manifest);

        var build = await ProcessRunner.RunAsync("dotnet", ["build", "-c", "Release", "--disable-build-servers"], consumer);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Matches(@"identityguard\.json\(4,\d+\): error IG\d{4}", build.Output);
        Assert.DoesNotContain("CS8785", build.Output, StringComparison.Ordinal);
    }
}
