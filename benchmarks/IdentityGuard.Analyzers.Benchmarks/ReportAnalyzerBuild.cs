using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace IdentityGuard.Analyzers.Benchmarks;

/// <summary>
/// The real compiler's view: writes the corpus as a project that uses the IdentityGuard analyzers, builds it with
/// <c>-p:ReportAnalyzer=true</c>, and prints csc's per-analyzer execution times.
/// </summary>
internal static class ReportAnalyzerBuild
{
    public static async Task<int> RunAsync(IReadOnlyList<(string Path, string Text)> corpus)
    {
        var directory = Path.Combine(Path.GetTempPath(), "identityguard-analyzer-benchmark", Guid.NewGuid().ToString("N"));
        foreach (var (path, text) in corpus)
        {
            var file = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, text);
        }

        var output = AppContext.BaseDirectory;
        var references = Directory.EnumerateFiles(output, "*.dll")
            .Where(path => Path.GetFileName(path) is var name
                && (name == "IdentityGuard.dll" || name.StartsWith("Microsoft.IdentityModel.", StringComparison.Ordinal) || name.StartsWith("Duende.", StringComparison.Ordinal)
                    || name == "Microsoft.Extensions.Logging.Abstractions.dll" || name == "Microsoft.Extensions.DependencyInjection.Abstractions.dll"))
            .Select(path => $"    <Reference Include=\"{path}\" />");
        await File.WriteAllTextAsync(Path.Combine(directory, "Corpus.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <ReportAnalyzer>true</ReportAnalyzer>
              </PropertyGroup>
              <ItemGroup>
            {string.Join(Environment.NewLine, references)}
                <Analyzer Include="{Path.Combine(output, "IdentityGuard.Analyzers.dll")}" />
              </ItemGroup>
            </Project>
            """);

        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "build", "-c", "Release", "-v:d", "--disable-build-servers", "-clp:PerformanceSummary" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["UseSharedCompilation"] = "false";
        using var process = Process.Start(info)!;
        var log = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        // csc's report: "Total analyzer execution time: …" followed by per-assembly and per-analyzer lines; and the task summary.
        var report = Regex.Match(log, @"Total analyzer execution time:.*?(?=\r?\n\s*\r?\n|\r?\n\s*Done executing task)", RegexOptions.Singleline);
        Console.WriteLine(report.Success ? report.Value : "(no analyzer report found in the build log)");
        foreach (Match line in Regex.Matches(log, @"^\s*\d+ ms\s+(Csc|CoreCompile)\b.*$", RegexOptions.Multiline))
        {
            Console.WriteLine(line.Value.Trim());
        }

        Console.WriteLine($"Build exit code {process.ExitCode}; project left in {directory}");
        return process.ExitCode;
    }
}
