using System.Collections.Generic;

namespace IdentityGuard.Scanner.Cli;

/// <summary>What <c>identityguard scan</c> was asked to do, after the command line was checked.</summary>
/// <param name="Target">The solution, project file or folder to scan (full path).</param>
/// <param name="SarifPath">Where to write the SARIF 2.1.0 log, or null for none.</param>
/// <param name="Threshold">The lowest level that makes the scan fail (exit code 1).</param>
/// <param name="SourceRoot">The folder SARIF locations are relative to (the SRCROOT base id).</param>
/// <param name="Restore">Run <c>dotnet restore</c> on each project before loading it.</param>
/// <param name="Properties">MSBuild global properties for loading projects (e.g. Configuration=Release).</param>
internal sealed record ScanOptions(
    string Target,
    string? SarifPath,
    Severity Threshold,
    string SourceRoot,
    bool Restore,
    IReadOnlyDictionary<string, string> Properties);
