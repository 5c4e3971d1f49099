using System;
using System.IO;

namespace IdentityGuard.ManifestContract;

/// <summary>A manifest file as the pipeline sees it: path and text, compared by value.</summary>
/// <param name="Path">The file path given to the compiler.</param>
/// <param name="Text">The file text, or <see langword="null"/> when the compiler could not read it.</param>
internal sealed record ManifestFile(string Path, string? Text)
{
    public const string FileName = "identityguard.json";

    /// <summary>Whether an additional file is the manifest (matched by file name, ignoring case).</summary>
    public static bool IsManifest(string path) =>
        string.Equals(System.IO.Path.GetFileName(path), FileName, StringComparison.OrdinalIgnoreCase);
}
