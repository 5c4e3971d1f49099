using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Scanner.Cli;
using IdentityGuard.Scanner.Discovery;
using IdentityGuard.Scanner.Loading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IdentityGuard.Scanner.Analysis;

/// <summary>
/// One scan: find the units, load each with MSBuild where it loads (restoring first if asked) or fall back to the
/// syntax-only pass, run every IG rule, and collect what came out.
/// </summary>
internal static class Scanner
{
    public static async Task<ScanReport> RunAsync(ScanOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var rules = IdentityGuardRules.Load();
        var units = ScanTargets.Find(options.Target);
        if (units.Count == 0)
        {
            throw new ScanTargetException($"No C# project or .cs file was found in '{options.Target}'.");
        }

        MSBuildProjects? msbuild = null;
        string? msbuildUnavailable = null;
        var results = new List<UnitResult>();
        try
        {
            foreach (var unit in units)
            {
                var unitClock = Stopwatch.StartNew();
                progress.WriteLine($"  scanning {unit.Name} …");
                string? reason = unit.ProjectPath is null ? "no project file" : null;
                var notes = new List<string>();

                if (unit.ProjectPath is not null && options.Restore)
                {
                    reason = await Restore.RunAsync(unit.ProjectPath, options.Properties, cancellationToken).ConfigureAwait(false);
                }

                Project? project = null;
                if (unit.ProjectPath is not null && reason is null)
                {
                    if (msbuild is null && msbuildUnavailable is null)
                    {
                        msbuild = MSBuildProjects.TryCreate(options.Properties, out msbuildUnavailable);
                    }

                    if (msbuild is null)
                    {
                        reason = msbuildUnavailable;
                    }
                    else
                    {
                        (project, reason, var loadNotes) = await msbuild.LoadAsync(unit.ProjectPath, cancellationToken).ConfigureAwait(false);
                        notes.AddRange(loadNotes);
                    }
                }

                UnitResult? result = null;
                if (project is not null)
                {
                    try
                    {
                        result = await AnalyzeProjectAsync(unit, project, rules, notes, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        // The workspace could not produce a compilation (a generator host failure, a broken reference):
                        // fall back rather than lose the unit.
                        reason = "the MSBuild compilation failed: " + exception.Message.Split('\n', 2)[0].Trim();
                    }
                }

                if (result is null)
                {
                    var (compilation, analyzerOptions, fallbackNotes) = await SyntaxOnlyCompilation.CreateAsync(unit, cancellationToken).ConfigureAwait(false);
                    notes.AddRange(fallbackNotes);
                    var (findings, failures) = await CompilationAnalyzer.AnalyzeAsync(compilation, analyzerOptions, rules, cancellationToken).ConfigureAwait(false);
                    result = new UnitResult(unit.Name, unit.ProjectPath, LoadMode.SyntaxOnly, reason, unit.SourceFiles.Count, unit.AdditionalFiles.Count, findings, notes, failures, TimeSpan.Zero);
                }

                results.Add(result with { Elapsed = unitClock.Elapsed });
            }
        }
        finally
        {
            msbuild?.Dispose();
        }

        return new ScanReport(options, rules, results, clock.Elapsed);
    }

    private static async Task<UnitResult> AnalyzeProjectAsync(ScanUnit unit, Project project, IdentityGuardRules rules, List<string> notes, CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{project.Name} has no compilation.");

        // The package's build logic passes identityguard.json and appsettings*.json to the rules; a project that
        // does not reference the package gets the same inputs here.
        var additional = CompilationAnalyzer.MergeAdditionalFiles(project.AnalyzerOptions.AdditionalFiles, unit.AdditionalFiles);
        var options = new AnalyzerOptions(additional, project.AnalyzerOptions.AnalyzerConfigOptionsProvider);
        var (findings, failures) = await CompilationAnalyzer.AnalyzeAsync(compilation, options, rules, cancellationToken).ConfigureAwait(false);
        // The project's own files, not what the SDK writes to obj/ (global usings, assembly attributes).
        var intermediate = Path.Combine(unit.Folder, "obj") + Path.DirectorySeparatorChar;
        var sourceFiles = project.Documents.Count(d => d.FilePath is not null && !d.FilePath.StartsWith(intermediate, StringComparison.Ordinal) && File.Exists(d.FilePath));
        return new UnitResult(unit.Name, unit.ProjectPath, LoadMode.MSBuild, null, sourceFiles, additional.Length, findings, notes, failures, TimeSpan.Zero);
    }
}
