using System.Collections.Generic;

namespace IdentityGuard.Scanner.Discovery;

/// <summary>One thing the scanner compiles and analyzes on its own: a project file, or a folder of C# files that no project owns.</summary>
/// <param name="Name">How the summary names it (a path relative to the scanned folder where possible).</param>
/// <param name="Folder">The folder its files live in.</param>
/// <param name="ProjectPath">The project file, or null for a loose folder.</param>
/// <param name="SourceFiles">Its .cs files as found on disk (bin, obj and nested projects left out); the MSBuild pass uses the project's own list instead.</param>
/// <param name="AdditionalFiles">identityguard.json and appsettings*.json that the rules read.</param>
internal sealed record ScanUnit(
    string Name,
    string Folder,
    string? ProjectPath,
    IReadOnlyList<string> SourceFiles,
    IReadOnlyList<string> AdditionalFiles);
