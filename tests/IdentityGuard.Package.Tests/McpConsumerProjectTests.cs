using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Package.Tests;

/// <summary>IdentityGuard.Mcp as users get it: one package reference builds a protected MCP server.</summary>
public sealed class McpConsumerProjectTests : IClassFixture<PackedPackage>
{
    private readonly PackedPackage _package;

    public McpConsumerProjectTests(PackedPackage package) => _package = package;

    [Fact]
    public void The_MCP_package_depends_on_IdentityGuard_with_its_build_logic_and_analyzers()
    {
        using var archive = ZipFile.OpenRead(_package.PathOf("IdentityGuard.Mcp"));
        var entries = archive.Entries.Select(entry => entry.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("lib/net8.0/IdentityGuard.Mcp.dll", entries);
        Assert.Contains("lib/net10.0/IdentityGuard.Mcp.dll", entries);
        Assert.Contains("buildTransitive/IdentityGuard.Mcp.targets", entries);

        var nuspec = new StreamReader(archive.Entries.Single(entry => entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();
        var dependency = System.Text.RegularExpressions.Regex.Match(nuspec, "<dependency id=\"IdentityGuard\"[^>]*>").Value;
        Assert.NotEmpty(dependency);
        Assert.DoesNotContain("Build", dependency, StringComparison.Ordinal);
        Assert.DoesNotContain("Analyzers", dependency, StringComparison.Ordinal);

        using var core = ZipFile.OpenRead(_package.PackagePath);
        Assert.Contains(core.Entries, entry => entry.FullName == "buildTransitive/IdentityGuard.targets");
    }

    [Fact]
    public async Task A_consumer_referencing_only_IdentityGuard_Mcp_builds_an_MCP_server_that_serves_metadata_and_challenges()
    {
        var consumer = _package.CreateConsumerFrom("McpConsumer", "mcp-consumer");

        var build = await ProcessRunner.RunAsync("dotnet", ["build", "-c", "Release", "--disable-build-servers"], consumer);
        Assert.True(build.ExitCode == 0, $"The MCP consumer did not build:\n{build.Output}");

        var port = FreePort();
        var dll = Path.Combine(consumer, "bin", "Release", "net10.0", "Consumer.dll");
        var run = await ProcessRunner.RunAsync("dotnet", [dll], consumer, new Dictionary<string, string> { ["CONSUMER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, TimeSpan.FromMinutes(2));

        Assert.True(run.ExitCode == 0, $"The MCP consumer failed:\n{run.Output}");
        Assert.Contains($"\"resource\":\"http://127.0.0.1:{port}/mcp\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("\"authorization_servers\":[\"https://login.example.com/\"]", run.Output, StringComparison.Ordinal);
        Assert.Contains("\"scopes_supported\":[\"reports.mcp\",\"reports.mcp.sales\"]", run.Output, StringComparison.Ordinal);
        Assert.Contains($"challenge: 401 Bearer scope=\"reports.mcp\", resource_metadata=\"http://127.0.0.1:{port}/.well-known/oauth-protected-resource/mcp\"", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Excluding_IdentityGuards_build_logic_fails_the_build_saying_what_to_add()
    {
        var consumer = _package.CreateConsumerFrom(
            "McpConsumer",
            "mcp-consumer-without-build-logic",
            extraReferences: $"<PackageReference Include=\"IdentityGuard\" Version=\"{_package.Version}\" ExcludeAssets=\"build;buildTransitive\" />");

        var build = await ProcessRunner.RunAsync("dotnet", ["build", "-c", "Release", "--disable-build-servers"], consumer);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("IGMCP001", build.Output, StringComparison.Ordinal);
        Assert.Contains("<PackageReference Include=\"IdentityGuard\"", build.Output, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
