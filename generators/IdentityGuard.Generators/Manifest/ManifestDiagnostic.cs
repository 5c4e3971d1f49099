using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.Generators.Manifest;

/// <summary>
/// A manifest diagnostic as plain data. <see cref="Diagnostic"/> and <see cref="Location"/> have no value equality,
/// so the pipeline caches this form and turns it into a <see cref="Diagnostic"/> only when reporting.
/// </summary>
internal sealed record ManifestDiagnostic(
    string Id,
    string FilePath,
    TextSpan Span,
    LinePositionSpan LineSpan,
    EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic()
    {
        var descriptor = ManifestDiagnostics.Find(Id)
            ?? throw new InvalidOperationException("Unknown diagnostic id " + Id);
        var location = Location.Create(FilePath, Span, LineSpan);
        var arguments = new object[Arguments.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Arguments[i];
        }

        return Diagnostic.Create(descriptor, location, arguments);
    }
}
