using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.ManifestContract;

/// <summary>
/// A manifest mistake as plain data, located in the manifest. <c>Diagnostic</c> and <c>Location</c> have no value
/// equality, so the generator's pipeline caches this form and turns it into a diagnostic only when reporting.
/// </summary>
internal sealed record ManifestDiagnostic(
    string Id,
    string FilePath,
    TextSpan Span,
    LinePositionSpan LineSpan,
    EquatableArray<string> Arguments);
