using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using IdentityGuard.Package.Tests;
using Xunit;

namespace IdentityGuard.Analyzers.Package.Tests;

/// <summary>
/// A consumer of the packed package (ModesConsumer/) with one finding of each kind: IG0001 and IG0002 in C#,
/// IG0100 in identityguard.json, and a name only strict's extra secret words catch. Built with a SARIF log.
/// </summary>
internal sealed class ModesConsumer
{
    private ModesConsumer(string directory) => Directory = directory;

    public string Directory { get; }

    public string SarifPath => Path.Combine(Directory, "build.sarif");

    /// <summary>Writes the consumer into its own folder next to the feed; an empty mode leaves the default.</summary>
    public static ModesConsumer Create(PackedPackage package, string name, string mode)
    {
        var directory = Path.Combine(package.WorkDirectory, name);
        System.IO.Directory.CreateDirectory(directory);
        var templates = Path.Combine(AppContext.BaseDirectory, "ModesConsumer");
        File.WriteAllText(
            Path.Combine(directory, "ModesConsumer.csproj"),
            File.ReadAllText(Path.Combine(templates, "ModesConsumer.csproj.template"))
                .Replace("$FEED$", package.Feed, StringComparison.Ordinal)
                .Replace("$VERSION$", package.Version, StringComparison.Ordinal)
                .Replace("$MODE$", mode, StringComparison.Ordinal));
        File.Copy(Path.Combine(templates, "Program.cs.template"), Path.Combine(directory, "Program.cs"));
        File.Copy(Path.Combine(templates, "identityguard.json"), Path.Combine(directory, "identityguard.json"));
        return new ModesConsumer(directory);
    }

    public void WriteFile(string name, string content) => File.WriteAllText(Path.Combine(Directory, name), content);

    /// <summary>The 1-based line of the only line of <paramref name="file"/> that contains <paramref name="text"/>.</summary>
    public int LineOf(string file, string text)
    {
        var lines = File.ReadAllLines(Path.Combine(Directory, file));
        var matches = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(text, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"'{text}' must occur on exactly one line of {file}");
        return matches[0] + 1;
    }

    /// <summary>Builds with the compiler's SARIF 2.1 log (the comma escaped, since -p: splits on commas).</summary>
    public async Task<BuildResult> BuildAsync()
    {
        File.Delete(SarifPath);
        var (exitCode, output) = await ProcessRunner.RunAsync(
            "dotnet",
            ["build", "-c", "Release", "--disable-build-servers", "-p:ErrorLog=" + SarifPath + "%2Cversion=2.1"],
            Directory);
        var results = File.Exists(SarifPath) ? SarifLog.ReadIdentityGuardResults(SarifPath) : [];
        return new BuildResult(exitCode, output, results);
    }

    public Task<(int ExitCode, string Output)> RunAsync() =>
        ProcessRunner.RunAsync("dotnet", [Path.Combine(Directory, "bin", "Release", "net10.0", "ModesConsumer.dll")], Directory, timeout: TimeSpan.FromMinutes(2));
}

/// <summary>What a build of a consumer produced.</summary>
internal sealed record BuildResult(int ExitCode, string Output, IReadOnlyList<SarifResult> Results)
{
    /// <summary>The IdentityGuard findings as "IGnnnn level file:line", sorted, for exact comparison.</summary>
    public IReadOnlyList<string> Findings =>
        Results.Where(result => !result.Suppressed).Select(result => $"{result.RuleId} {result.Level} {result.File}:{result.Line}").Order(StringComparer.Ordinal).ToList();
}
