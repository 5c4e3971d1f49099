using System;
using System.Collections.Generic;

namespace IdentityGuard.Scanner.Analysis;

/// <summary>How a unit was compiled for analysis.</summary>
internal enum LoadMode
{
    /// <summary>Loaded with MSBuild: the project's own files, references, generators and settings.</summary>
    MSBuild,

    /// <summary>Parsed from disk and bound against the .NET shared framework and whatever assemblies were found.</summary>
    SyntaxOnly,
}

/// <summary>What scanning one unit produced.</summary>
/// <param name="Name">The unit's name in the summary.</param>
/// <param name="ProjectPath">Its project file, or null for a loose folder.</param>
/// <param name="Mode">How it was loaded.</param>
/// <param name="Reason">Why it was not loaded with MSBuild (null when it was).</param>
/// <param name="SourceFileCount">C# files analyzed.</param>
/// <param name="AdditionalFileCount">JSON files the rules read.</param>
/// <param name="Findings">IG results in its files.</param>
/// <param name="Notes">Things the reader should know about the result (a missing generator, unresolved references, a failed rule).</param>
/// <param name="AnalyzerFailures">Rules that threw: their findings may be missing, so the scan fails (exit code 2).</param>
/// <param name="Elapsed">Loading plus analysis.</param>
internal sealed record UnitResult(
    string Name,
    string? ProjectPath,
    LoadMode Mode,
    string? Reason,
    int SourceFileCount,
    int AdditionalFileCount,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> AnalyzerFailures,
    TimeSpan Elapsed);
