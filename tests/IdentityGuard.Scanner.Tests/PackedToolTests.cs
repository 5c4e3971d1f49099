using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using IdentityGuard.Package.Tests;
using Xunit;

namespace IdentityGuard.Scanner.Tests;

/// <summary>The tool as users get it: packed, installed with dotnet tool install from a folder feed, and run.</summary>
public sealed class PackedToolTests
{
    [Fact]
    public async Task The_packed_tool_installs_and_scans_with_both_modes()
    {
        var work = ScannerTool.NewTemporaryFolder("packed");
        try
        {
            var feed = Path.Combine(work, "feed");
            var tools = Path.Combine(work, "tools");

            // A version no earlier run used, so NuGet's package cache cannot hand back a stale tool.
            var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Random.Shared.Next(100000, 999999)}";
            var pack = await ProcessRunner.RunAsync(
                "dotnet",
                [
                    "pack", Path.Combine(ScannerTool.RepositoryRoot, "tools", "IdentityGuard.Scanner", "IdentityGuard.Scanner.csproj"),
                    "-c", "Release", "-o", feed, $"-p:Version={version}",

                    // Its own output folders, so packing never touches the build that is running these tests.
                    "--artifacts-path", Path.Combine(work, "artifacts"),
                    "--disable-build-servers",
                ],
                ScannerTool.RepositoryRoot,
                timeout: TimeSpan.FromMinutes(10));
            Assert.True(pack.ExitCode == 0, "dotnet pack failed:\n" + pack.Output);
            Assert.True(File.Exists(Path.Combine(feed, $"IdentityGuard.Scanner.{version}.nupkg")), pack.Output);

            var install = await ProcessRunner.RunAsync(
                "dotnet",
                ["tool", "install", "IdentityGuard.Scanner", "--tool-path", tools, "--add-source", feed, "--version", version],
                work,
                timeout: TimeSpan.FromMinutes(10));
            Assert.True(install.ExitCode == 0, "dotnet tool install failed:\n" + install.Output);

            var command = Path.Combine(tools, OperatingSystem.IsWindows() ? "identityguard.exe" : "identityguard");
            var help = await ProcessRunner.RunAsync(command, ["--help"], work);
            Assert.True(help.ExitCode == 0, help.Output);
            Assert.Contains("Usage: identityguard scan", help.Output, StringComparison.Ordinal);

            // The fixture tree: the restorable project must load with MSBuild from the installed tool (its build
            // host ships in the package), the others fall back.
            var repository = Path.Combine(work, "repository");
            ScannerTool.CopyFixture("MixedRepository", repository);
            var sarif = Path.Combine(work, "scan.sarif");
            var scan = await ProcessRunner.RunAsync(command, ["scan", repository, "--restore", "--sarif", sarif], work, timeout: TimeSpan.FromMinutes(10));
            Assert.True(scan.ExitCode == 1, scan.Output);
            Assert.Contains("Payments/Payments.csproj: msbuild;", scan.Output, StringComparison.Ordinal);
            Assert.Contains("Scripts/: syntax-only (no project file)", scan.Output, StringComparison.Ordinal);
            Assert.Empty(SarifSchema.Validate(await File.ReadAllTextAsync(sarif)));
        }
        finally
        {
            ScannerTool.DeleteQuietly(work);
        }
    }
}
