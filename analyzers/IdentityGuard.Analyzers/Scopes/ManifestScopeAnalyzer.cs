using System.Collections.Immutable;
using IdentityGuard.Analyzers.Descriptors;
using IdentityGuard.ManifestContract;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IdentityGuard.Analyzers.Scopes;

/// <summary>
/// IG0100 (and IG0103 as a suggestion): a scope declared in <c>identityguard.json</c> that the scope catalog knows
/// to be wider than most tasks need, reported at the scope value's line and column. The provider's <c>vendor</c>
/// field says which vendor's catalog applies; without one (or with <c>custom</c>), the scope's spelling is used
/// (googleapis URLs, Graph permission names, <c>admin:org</c>, …), and wildcards are reported for every vendor.
/// </summary>
/// <remarks>
/// Runs on the manifest alone, so it needs none of the token libraries that the code rules look for.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ManifestScopeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Rules.BroadScopeDeclared, Rules.ReadWriteScope);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterAdditionalFileAction(AnalyzeManifest);
    }

    private static void AnalyzeManifest(AdditionalFileAnalysisContext context)
    {
        if (!ManifestFile.IsManifest(context.AdditionalFile.Path)
            || ManifestScopes.Get(context.AdditionalFile, context.CancellationToken) is not { } manifest)
        {
            return;
        }

        foreach (var provider in manifest.Providers)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            foreach (var scope in provider.Scopes)
            {
                if (ScopeCatalog.Find(scope.Value, provider.Vendor, provider.Context) is not { } finding)
                {
                    continue;
                }

                var location = manifest.LocationOf(scope.ValueSpan);
                var properties = ScopeDiagnostics.Properties(scope.Value, finding);
                context.ReportDiagnostic(finding.Entry.Breadth == ScopeBreadth.Broad
                    ? Diagnostic.Create(Rules.BroadScopeDeclared, location, properties, provider.Name, scope.Value, finding.Entry.Reason, finding.Suggestion())
                    : Diagnostic.Create(Rules.ReadWriteScope, location, properties, scope.Value, finding.Entry.Reason, finding.Suggestion()));
            }
        }
    }
}

/// <summary>What the scope diagnostics carry for the code fix.</summary>
internal static class ScopeDiagnostics
{
    /// <summary>Property: the scope as written.</summary>
    public const string ScopeProperty = "Scope";

    /// <summary>Property: the narrower alternatives, best first, separated by spaces (scope tokens contain none).</summary>
    public const string AlternativesProperty = "Alternatives";

    public static ImmutableDictionary<string, string?> Properties(string scope, ScopeFinding finding) =>
        ImmutableDictionary<string, string?>.Empty
            .Add(ScopeProperty, scope)
            .Add(AlternativesProperty, finding.Alternatives.IsDefaultOrEmpty ? string.Empty : string.Join(" ", finding.Alternatives));
}
