namespace IdentityGuard.ManifestContract;

/// <summary>A kind of manifest mistake: its diagnostic id and whether it keeps the provider out of the generated code.</summary>
/// <param name="Id">The diagnostic id (IG1001–IG1099), documented in <c>docs/rules/&lt;id&gt;.md</c>.</param>
/// <param name="IsError">Whether the mistake is an error: a provider with one is not generated.</param>
internal sealed record ManifestProblem(string Id, bool IsError);

/// <summary>
/// Every mistake the manifest reader can find. Plain ids, not <c>DiagnosticDescriptor</c>s: the reader is compiled into
/// the analyzers too, which must not declare the generator's rules; the generator's <c>ManifestDiagnostics</c> gives
/// each id its title, message and severity.
/// </summary>
internal static class ManifestProblems
{
    public static readonly ManifestProblem InvalidJson = new("IG1001", IsError: true);
    public static readonly ManifestProblem MissingProperty = new("IG1002", IsError: true);
    public static readonly ManifestProblem InvalidValue = new("IG1003", IsError: true);
    public static readonly ManifestProblem UnknownValue = new("IG1004", IsError: true);
    public static readonly ManifestProblem DuplicateName = new("IG1005", IsError: true);
    public static readonly ManifestProblem InvalidIdentifier = new("IG1006", IsError: true);
    public static readonly ManifestProblem LiteralSecret = new("IG1007", IsError: true);
    public static readonly ManifestProblem InsecureEndpoint = new("IG1008", IsError: false);
    public static readonly ManifestProblem TooManyScopes = new("IG1009", IsError: true);
    public static readonly ManifestProblem UnknownProperty = new("IG1010", IsError: false);
    public static readonly ManifestProblem MultipleManifests = new("IG1011", IsError: true);
    public static readonly ManifestProblem ConflictingProperties = new("IG1012", IsError: true);
}
