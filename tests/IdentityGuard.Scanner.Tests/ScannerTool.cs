using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using IdentityGuard.Package.Tests;

namespace IdentityGuard.Scanner.Tests;

/// <summary>Runs the built <c>identityguard</c> tool as a process, as CI runs it.</summary>
internal static class ScannerTool
{
    /// <summary>The configuration these tests (and the tool beside them) were built in.</summary>
    public static string Configuration { get; } =
        typeof(ScannerTool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ToolPath => Path.Combine(RepositoryRoot, "tools", "IdentityGuard.Scanner", "bin", Configuration, "net10.0", "identityguard.dll");

    public static async Task<ScanRun> RunAsync(string workingDirectory, params string[] arguments)
    {
        if (!File.Exists(ToolPath))
        {
            throw new InvalidOperationException($"The tool was not built: {ToolPath}");
        }

        var (exitCode, output) = await ProcessRunner.RunAsync("dotnet", new[] { ToolPath }.Concat(arguments), workingDirectory, timeout: TimeSpan.FromMinutes(10));
        return new ScanRun(exitCode, output);
    }

    /// <summary>A fresh temporary folder, removed by the caller.</summary>
    public static string NewTemporaryFolder(string purpose)
    {
        var folder = Path.Combine(Path.GetTempPath(), "identityguard-scanner-tests", purpose + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Copies a fixture tree from the test output to <paramref name="destination"/>.</summary>
    public static void CopyFixture(string name, string destination)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public static void DeleteQuietly(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless; a failing cleanup must not hide a test result.
        }
        catch (UnauthorizedAccessException)
        {
        }
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

/// <summary>A finished scan: its exit code and everything it printed (stdout and stderr).</summary>
internal sealed record ScanRun(int ExitCode, string Output)
{
    public override string ToString() => $"exit code {ExitCode}\n{Output}";
}

/// <summary>One SARIF result, reduced to what the tests compare.</summary>
internal sealed record SarifFinding(string RuleId, string Level, string Uri, int Line, bool Suppressed)
{
    public override string ToString() => $"{RuleId} {Level} {Uri}:{Line}{(Suppressed ? " (suppressed)" : string.Empty)}";
}

/// <summary>Reads the scanner's SARIF log.</summary>
internal static class SarifLog
{
    public static IReadOnlyList<SarifFinding> Findings(System.Text.Json.JsonElement log)
    {
        var run = log.GetProperty("runs")[0];
        return run.GetProperty("results").EnumerateArray().Select(result =>
        {
            var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
            return new SarifFinding(
                result.GetProperty("ruleId").GetString()!,
                result.GetProperty("level").GetString()!,
                location.GetProperty("artifactLocation").GetProperty("uri").GetString()!,
                location.GetProperty("region").GetProperty("startLine").GetInt32(),
                result.TryGetProperty("suppressions", out var suppressions) && suppressions.GetArrayLength() > 0);
        }).ToList();
    }

    /// <summary>Rule id → the default level the log's driver gives it.</summary>
    public static IReadOnlyDictionary<string, string> DefaultLevels(System.Text.Json.JsonElement log) =>
        log.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("defaultConfiguration").GetProperty("level").GetString()!);

    /// <summary>Unit name → load mode, from the run's property bag.</summary>
    public static IReadOnlyDictionary<string, string> Modes(System.Text.Json.JsonElement log) =>
        log.GetProperty("runs")[0].GetProperty("properties").GetProperty("units").EnumerateArray()
            .ToDictionary(u => u.GetProperty("name").GetString()!, u => u.GetProperty("mode").GetString()!);
}
