using System;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Package.Tests;

/// <summary>
/// Packs IdentityGuard (and its satellite packages) once per test run into a private folder feed, with a version no earlier run used, so
/// NuGet's global package cache can never hand a consumer a stale copy.
/// </summary>
public sealed class PackedPackage : IAsyncLifetime
{
    public string RepositoryRoot { get; } = FindRepositoryRoot();

    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "identityguard-package-tests", Guid.NewGuid().ToString("N"));

    public string Feed => Path.Combine(WorkDirectory, "feed");

    public string Version { get; } = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Random.Shared.Next(100000, 999999)}";

    public string PackagePath => Path.Combine(Feed, $"IdentityGuard.{Version}.nupkg");

    /// <summary>The packages packed into the feed, all with <see cref="Version"/>: the core and its satellites.</summary>
    public static readonly string[] PackedProjects =
    [
        Path.Combine("runtime", "IdentityGuard", "IdentityGuard.csproj"),
        Path.Combine("runtime", "IdentityGuard.AspNetCore", "IdentityGuard.AspNetCore.csproj"),
        Path.Combine("runtime", "IdentityGuard.Mcp", "IdentityGuard.Mcp.csproj"),
    ];

    public string PackagePathOf(string packageId) => Path.Combine(Feed, $"{packageId}.{Version}.nupkg");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        foreach (var project in PackedProjects)
        {
            var (exitCode, output) = await ProcessRunner.RunAsync(
                "dotnet",
                [
                    "pack", Path.Combine(RepositoryRoot, project),
                    "-c", "Release", "-o", Feed, $"-p:Version={Version}",

                    // Its own output folders, so packing never touches the build that is running these tests.
                    "--artifacts-path", Path.Combine(WorkDirectory, "artifacts"),
                    "--disable-build-servers",
                ],
                RepositoryRoot);
            Assert.True(exitCode == 0, $"dotnet pack {project} failed:\n{output}");
        }

        Assert.True(File.Exists(PackagePath), $"{PackagePath} was not produced.");
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; a failing cleanup must not hide a test result.
        }

        return Task.CompletedTask;
    }

    /// <summary>Writes a consumer project next to the feed, from the templates in Consumer/.</summary>
    public string CreateConsumer(string name, string? manifest = null) => CreateConsumerFrom("Consumer", name, manifest);

    /// <summary>Writes a consumer project from the templates in <paramref name="templateFolder"/> (Consumer/ or McpConsumer/).</summary>
    /// <param name="extraReferences">MSBuild items put into the project's package references.</param>
    public string CreateConsumerFrom(string templateFolder, string name, string? manifest = null, string? extraReferences = null)
    {
        var directory = Path.Combine(WorkDirectory, name);
        Directory.CreateDirectory(directory);
        var templates = Path.Combine(AppContext.BaseDirectory, templateFolder);
        File.WriteAllText(
            Path.Combine(directory, "Consumer.csproj"),
            File.ReadAllText(Path.Combine(templates, "Consumer.csproj.template")).Replace("$FEED$", Feed, StringComparison.Ordinal).Replace("$VERSION$", Version, StringComparison.Ordinal)
                .Replace("<!--EXTRA-->", extraReferences ?? string.Empty, StringComparison.Ordinal));
        File.Copy(Path.Combine(templates, "Program.cs.template"), Path.Combine(directory, "Program.cs"));
        File.WriteAllText(Path.Combine(directory, "identityguard.json"), manifest ?? File.ReadAllText(Path.Combine(templates, "identityguard.json")));
        return directory;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IdentityGuard.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("IdentityGuard.sln was not found above the test's output folder.");
    }
}
