using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.MSBuild;

namespace IdentityGuard.Scanner.Loading;

/// <summary>
/// Loads project files with MSBuildWorkspace (a design-time build in Roslyn's build host process, on the SDK the
/// project's global.json selects): the project's own source list, references, source generators, defines and
/// .editorconfig, as csc would see them. One workspace per scan, so a project referenced by several others is
/// evaluated once.
/// </summary>
internal sealed class MSBuildProjects : IDisposable
{
    private readonly MSBuildWorkspace _workspace;
    private readonly List<WorkspaceDiagnostic> _failures = [];
    private readonly object _gate = new();

    private MSBuildProjects(MSBuildWorkspace workspace)
    {
        _workspace = workspace;
        _workspace.RegisterWorkspaceFailedHandler(e =>
        {
            lock (_gate)
            {
                _failures.Add(e.Diagnostic);
            }
        });
    }

    /// <summary>A workspace, or null with the reason MSBuild cannot be used on this machine.</summary>
    public static MSBuildProjects? TryCreate(IReadOnlyDictionary<string, string> properties, out string? reason)
    {
        try
        {
            var global = new Dictionary<string, string>(properties, StringComparer.OrdinalIgnoreCase)
            {
                // Design-time build only: never compile, never touch the project's bin/.
                ["DesignTimeBuild"] = "true",
                ["BuildingInsideVisualStudio"] = "false",
            };
            reason = null;
            return new MSBuildProjects(MSBuildWorkspace.Create(global));
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or TypeLoadException or FileNotFoundException)
        {
            reason = "MSBuild could not be started: " + exception.Message;
            return null;
        }
    }

    /// <summary>The project as a build sees it, or null with the reason it did not load cleanly.</summary>
    public async Task<(Project? Project, string? Reason, List<string> Notes)> LoadAsync(string projectPath, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        int before;
        lock (_gate)
        {
            before = _failures.Count;
        }

        if (!IsRestored(projectPath))
        {
            return (null, "not restored: no project.assets.json (run dotnet restore first, or scan with --restore)", notes);
        }

        Project? project = _workspace.CurrentSolution.Projects.FirstOrDefault(p => string.Equals(p.FilePath, projectPath, StringComparison.Ordinal));
        if (project is null)
        {
            try
            {
                project = await _workspace.OpenProjectAsync(projectPath, progress: null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Whatever the build host reports (no SDK, a broken project, a crashed host), the unit still gets the
                // syntax-only pass, with the reason in the output.
                return (null, "MSBuild could not load it: " + FirstLine(exception.Message), notes);
            }
        }

        List<WorkspaceDiagnostic> failures;
        lock (_gate)
        {

            failures = _failures.Skip(before).Where(f => f.Kind == WorkspaceDiagnosticKind.Failure).ToList();
        }

        var own = failures.FirstOrDefault(f => f.Message.Contains(projectPath, StringComparison.Ordinal));
        if (own is not null)
        {
            return (null, "MSBuild failed: " + FirstLine(Shorten(own.Message, projectPath)), notes);
        }

        if (!project.MetadataReferences.Any())
        {
            return (null, "MSBuild resolved no references (is the project restored? run with --restore)", notes);
        }

        foreach (var failure in failures)
        {
            notes.Add("a referenced project did not load: " + FirstLine(failure.Message));
        }

        // An analyzer or generator reference that is not built yet (a ProjectReference with OutputItemType=Analyzer):
        // the code it would generate is missing, and findings that depend on it may be too.
        foreach (var missing in project.AnalyzerReferences.OfType<AnalyzerFileReference>().Where(r => !File.Exists(r.FullPath)))
        {
            notes.Add($"analyzer/generator '{Path.GetFileName(missing.FullPath)}' is not built; its generated code is missing (build the project first)");
        }

        return (project, null, notes);
    }

    public void Dispose() => _workspace.Dispose();

    /// <summary>
    /// A design-time build of an SDK project that was never restored succeeds without its packages (no failure is
    /// reported), so the analysis would silently miss every type they define. NuGet writes project.assets.json to
    /// obj/ (or, with artifacts output, to artifacts/obj/&lt;project&gt;/); old-style projects have none to need.
    /// </summary>
    private static bool IsRestored(string projectPath)
    {
        var folder = Path.GetDirectoryName(projectPath)!;
        if (File.Exists(Path.Combine(folder, "obj", "project.assets.json")))
        {
            return true;
        }

        var name = Path.GetFileNameWithoutExtension(projectPath);
        for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "artifacts", "obj", name, "project.assets.json")))
            {
                return true;
            }
        }

        string text;
        try
        {
            text = File.ReadAllText(projectPath);
        }
        catch (IOException)
        {
            return false;
        }

        return !text.Contains("Sdk=\"", StringComparison.OrdinalIgnoreCase) && !text.Contains("<Sdk ", StringComparison.OrdinalIgnoreCase);
    }

    private static string Shorten(string message, string projectPath) =>
        message.Replace($"Msbuild failed when processing the file '{projectPath}' with message: ", string.Empty, StringComparison.Ordinal);

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
