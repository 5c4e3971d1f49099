namespace IdentityGuard.Generators;

/// <summary>Names of the incremental pipeline's steps, so tests can check which steps ran and which were cached.</summary>
internal static class TrackingNames
{
    /// <summary>Each manifest additional file read into path + text.</summary>
    public const string ManifestFiles = nameof(ManifestFiles);

    /// <summary>The manifest parsed into a model and diagnostics.</summary>
    public const string ManifestParse = nameof(ManifestParse);

    /// <summary>The model alone, so a change in diagnostics only does not re-emit.</summary>
    public const string ManifestModel = nameof(ManifestModel);

    /// <summary>The namespace of the generated code.</summary>
    public const string Namespace = nameof(Namespace);

    /// <summary>The generated sources.</summary>
    public const string Emit = nameof(Emit);
}
