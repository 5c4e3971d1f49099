using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Package.Tests;

/// <summary>
/// Packs IdentityGuard once per test run into a private folder feed, with a version no earlier run used, so
/// NuGet's global package cache can never hand a consumer a stale copy.
/// </summary>
public sealed class PackedPackage : IAsyncLifetime
{
    public string RepositoryRoot { get; } = FindRepositoryRoot();

    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "identityguard-package-tests", Guid.NewGuid().ToString("N"));

    public string Feed => Path.Combine(WorkDirectory, "feed");

    public string Version { get; } = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Random.Shared.Next(100000, 999999)}";

    public string PackagePath => PathOf("IdentityGuard");

    /// <summary>Every package the repository ships, in dependency order: the core first.</summary>
    public static IReadOnlyList<string> Packages { get; } = ["IdentityGuard", "IdentityGuard.AspNetCore", "IdentityGuard.Vault.PostgreSql", "IdentityGuard.Mcp", "IdentityGuard.Extensions.AI"];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        foreach (var package in Packages)
        {
            var (exitCode, output) = await ProcessRunner.RunAsync(
                "dotnet",
                [
                    "pack", Path.Combine(RepositoryRoot, "runtime", package, package + ".csproj"),
                    "-c", "Release", "-o", Feed, $"-p:Version={Version}",

                    // Its own output folders, so packing never touches the build that is running these tests.
                    "--artifacts-path", Path.Combine(WorkDirectory, "artifacts"),
                    "--disable-build-servers",
                ],
                RepositoryRoot,
                timeout: TimeSpan.FromMinutes(10));
            Assert.True(exitCode == 0, $"dotnet pack {package} failed:\n{output}");
            Assert.True(File.Exists(PathOf(package)), $"{PathOf(package)} was not produced:\n{output}");
        }
    }

    /// <summary>The packed file of one of <see cref="Packages"/>.</summary>
    public string PathOf(string package) => Path.Combine(Feed, $"{package}.{Version}.nupkg");

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

    /// <summary>
    /// Writes a consumer project from a template folder under the test's output: every file is copied, and
    /// <c>*.template</c> files lose that suffix and get the feed, the version and <paramref name="extraReferences"/>
    /// (at <c>&lt;!--EXTRA--&gt;</c>) filled in.
    /// </summary>
    /// <param name="template">The template folder, e.g. Consumer, McpConsumer or Consumer/AspNetCoreOnly.</param>
    /// <param name="name">The consumer's folder name.</param>
    /// <param name="manifest">Replaces the template's identityguard.json.</param>
    /// <param name="extraReferences">MSBuild items put into the project's package references.</param>
    public string CreateConsumerFrom(string template, string name, string? manifest = null, string? extraReferences = null)
    {
        var directory = Path.Combine(WorkDirectory, name);
        Directory.CreateDirectory(directory);
        var source = Path.Combine(AppContext.BaseDirectory, template);
        foreach (var file in Directory.GetFiles(source))
        {
            var fileName = Path.GetFileName(file);
            if (fileName.EndsWith(".template", StringComparison.Ordinal))
            {
                File.WriteAllText(
                    Path.Combine(directory, fileName[..^".template".Length]),
                    File.ReadAllText(file)
                        .Replace("$FEED$", Feed, StringComparison.Ordinal)
                        .Replace("$VERSION$", Version, StringComparison.Ordinal)
                        .Replace("<!--EXTRA-->", extraReferences ?? string.Empty, StringComparison.Ordinal));
            }
            else
            {
                File.Copy(file, Path.Combine(directory, fileName));
            }
        }

        if (manifest is not null)
        {
            File.WriteAllText(Path.Combine(directory, "identityguard.json"), manifest);
        }

        return directory;
    }

    internal static string FindRepositoryRoot()
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
