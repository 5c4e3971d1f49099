using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using IdentityGuard.Analyzers.Descriptors;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.Analyzers.Secrets;

/// <summary>
/// The hardcoded-secrets family: IG0001 (<see cref="KnownFormatCredentialRule"/>) and IG0002
/// (<see cref="SecretNamedLiteralRule"/>). Both rules live in one analyzer so that each literal is
/// scanned once and IG0001 can take precedence over IG0002 on the same value.
/// </summary>
/// <remarks>
/// What counts as a literal: regular, verbatim and raw strings, UTF-8 (<c>"…"u8</c>) strings, the
/// constant text of interpolated strings, and constant <c>+</c> concatenations (a secret split across
/// parts is reported on the parts it spans). Also scanned: the AdditionalFiles
/// <c>identityguard.json</c> and <c>appsettings*.json</c>.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HardcodedSecretsAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Rules.KnownFormatCredential, Rules.SecretNamedLiteral);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);

        context.RegisterSyntaxNodeAction(
            AnalyzeLiteral,
            SyntaxKind.StringLiteralExpression,
            SyntaxKind.Utf8StringLiteralExpression);
        context.RegisterSyntaxNodeAction(AnalyzeInterpolatedText, SyntaxKind.InterpolatedStringText);
        context.RegisterSyntaxNodeAction(AnalyzeConcatenation, SyntaxKind.AddExpression);
        context.RegisterAdditionalFileAction(AnalyzeConfigurationFile);
    }

    private static void AnalyzeLiteral(SyntaxNodeAnalysisContext context)
    {
        var literal = (LiteralExpressionSyntax)context.Node;
        AnalyzeValue(context, literal.Token.ValueText, literal, literal, allowNamedRule: true);
    }

    private static void AnalyzeInterpolatedText(SyntaxNodeAnalysisContext context)
    {
        var text = (InterpolatedStringTextSyntax)context.Node;

        // A text part is bound to a name only when it is the whole string ($"…" with no holes).
        var whole = text.Parent is InterpolatedStringExpressionSyntax interpolated && interpolated.Contents.Count == 1
            ? interpolated
            : null;
        AnalyzeValue(context, text.TextToken.ValueText, text, whole, allowNamedRule: whole is not null);
    }

    /// <summary>
    /// IG0001 and IG0002 on one value. <paramref name="bindingNode"/> is the expression whose
    /// binding names the value (null when nothing names it on its own).
    /// </summary>
    private static void AnalyzeValue(SyntaxNodeAnalysisContext context, string value, SyntaxNode reportNode, SyntaxNode? bindingNode, bool allowNamedRule)
    {
        // Both rules reject most literals here without allocating: no signature, wrong shape.
        var candidates = KnownFormatScanner.FindCandidates(value);
        var mayBeKnown = candidates != 0 || KnownFormatScanner.CouldMatchByName(value);
        var mayBeNamed = allowNamedRule && SecretNamedLiteralRule.IsCandidateValue(value);
        if (mayBeKnown || mayBeNamed)
        {
            AnalyzeCandidate(context, value, candidates, mayBeKnown, mayBeNamed, reportNode, bindingNode);
        }
    }

    // Separate from AnalyzeValue so the closure below is only allocated for values that passed the gate.
    private static void AnalyzeCandidate(
        SyntaxNodeAnalysisContext context, string value, ulong candidates, bool mayBeKnown, bool mayBeNamed, SyntaxNode reportNode, SyntaxNode? bindingNode)
    {
        string? name = null;
        var nameResolved = false;
        string? BoundName()
        {
            if (!nameResolved)
            {
                nameResolved = true;
                name = bindingNode is null ? null : SecretBinding.GetBoundName(bindingNode, context.SemanticModel, context.CancellationToken);
            }

            return name;
        }

        if (mayBeKnown && KnownFormatCredentialRule.Find(value, candidates, BoundName) is { } format)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.KnownFormatCredential, reportNode.GetLocation(), format.Title));
            return;
        }

        if (mayBeNamed && BoundName() is { } boundName
            && SecretNamedLiteralRule.IsReportable(value, boundName, OptionsFor(context)))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.SecretNamedLiteral, reportNode.GetLocation(), boundName));
        }
    }

    /// <summary>
    /// A constant concatenation: reports only what no single part reports on its own (a credential
    /// split across parts, or a secret-named binding of the joined value), so no span is reported twice.
    /// </summary>
    private static void AnalyzeConcatenation(SyntaxNodeAnalysisContext context)
    {
        var add = (BinaryExpressionSyntax)context.Node;
        if (IsInsideConcatenation(add))
        {
            return;
        }

        // Cheap, allocation-free syntactic gate before any semantic query: a string concatenation
        // worth joining has a string literal part; numeric additions stop here.
        if (!HasStringLiteralPart(add))
        {
            return;
        }

        var parts = new List<ExpressionSyntax>();
        CollectParts(add, parts);

        var model = context.SemanticModel;
        var constant = model.GetConstantValue(add, context.CancellationToken);
        if (!constant.HasValue || constant.Value is not string value)
        {
            return;
        }

        // Offsets of each part in the joined value; bail out if they do not add up exactly.
        var starts = new int[parts.Count + 1];
        for (var i = 0; i < parts.Count; i++)
        {
            var partConstant = model.GetConstantValue(parts[i], context.CancellationToken);
            var partText = partConstant.HasValue ? Convert.ToString(partConstant.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty : null;
            if (partText is null)
            {
                return;
            }

            starts[i + 1] = starts[i] + partText.Length;
        }

        if (starts[parts.Count] != value.Length)
        {
            return;
        }

        // A part that is itself reported as IG0001 (by its own literal callback) takes precedence over
        // IG0002 on the whole, even when the joined value no longer matches ("x" + token).
        var anyKnown = false;
        foreach (var part in parts)
        {
            if (part is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression))
            {
                var partValue = literal.Token.ValueText;
                var partCandidates = KnownFormatScanner.FindCandidates(partValue);
                anyKnown |= partCandidates != 0 && KnownFormatScanner.Scan(partValue, partCandidates) is not null;
            }
        }

        var reported = new HashSet<TextSpan>();
        foreach (var match in KnownFormatScanner.ScanAll(value))
        {
            anyKnown = true;
            var first = PartAt(starts, match.Start);
            var last = PartAt(starts, match.End - 1);
            if (first == last)
            {
                // Inside one part: that part's own literal (or constant declaration) reports it.
                continue;
            }

            var span = TextSpan.FromBounds(parts[first].SpanStart, parts[last].Span.End);
            if (reported.Add(span))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Rules.KnownFormatCredential, Location.Create(add.SyntaxTree, span), match.Format.Title));
            }
        }

        if (anyKnown)
        {
            return;
        }

        var name = SecretBinding.GetBoundName(add, model, context.CancellationToken);
        if (name is null)
        {
            return;
        }

        if (KnownFormatScanner.CouldMatchByName(value) && KnownFormatScanner.MatchByName(value, SecretNameClassifier.Normalize(name)) is { } paired)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.KnownFormatCredential, add.GetLocation(), paired.Title));
            return;
        }

        if (SecretNamedLiteralRule.IsCandidateValue(value) && SecretNamedLiteralRule.IsReportable(value, name, OptionsFor(context)))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.SecretNamedLiteral, add.GetLocation(), name));
        }
    }

    private static void AnalyzeConfigurationFile(AdditionalFileAnalysisContext context)
    {
        var file = context.AdditionalFile;
        if (!IsScannedConfigurationFile(file.Path) || file.GetText(context.CancellationToken) is not { } text)
        {
            return;
        }

        var options = SecretOptions.Get(context.Options.AnalyzerConfigOptionsProvider.GetOptions(file));
        var isManifest = IsManifest(file.Path);
        foreach (var entry in ConfigurationFileValues.Read(text))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (isManifest && IsManifestCredentialSlot(entry.Key))
            {
                // The generator's IG1007 already reports any literal in the manifest's credential
                // slots, whatever it looks like; one finding per value is enough.
                continue;
            }

            var location = Location.Create(file.Path, entry.Span, text.Lines.GetLinePositionSpan(entry.Span));
            if (KnownFormatCredentialRule.Find(entry.Value, KnownFormatScanner.FindCandidates(entry.Value), () => entry.Key) is { } format)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rules.KnownFormatCredential, location, format.Title));
            }
            else if (entry.Key.Length > 0 && SecretNamedLiteralRule.IsCandidateValue(entry.Value)
                && SecretNamedLiteralRule.IsReportable(entry.Value, entry.Key, options))
            {
                context.ReportDiagnostic(Diagnostic.Create(Rules.SecretNamedLiteral, location, entry.Key));
            }
        }
    }

    /// <summary>The manifest and ASP.NET Core's settings files, by file name.</summary>
    internal static bool IsScannedConfigurationFile(string path)
    {
        var fileName = Path.GetFileName(path);
        return IsManifest(path)
            || (fileName.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase)
                && fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsManifest(string path) =>
        string.Equals(Path.GetFileName(path), "identityguard.json", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>providers:&lt;name&gt;:clientSecret</c> and <c>providers:&lt;name&gt;:apiKey</c> given as plain strings.</summary>
    private static bool IsManifestCredentialSlot(string key) =>
        key.EndsWith(":clientSecret", StringComparison.Ordinal) || key.EndsWith(":apiKey", StringComparison.Ordinal);

    private static SecretOptions OptionsFor(SyntaxNodeAnalysisContext context) =>
        SecretOptions.Get(context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.Node.SyntaxTree));

    private static bool IsInsideConcatenation(SyntaxNode node)
    {
        var parent = node.Parent;
        while (parent is ParenthesizedExpressionSyntax)
        {
            parent = parent.Parent;
        }

        return parent is not null && parent.IsKind(SyntaxKind.AddExpression);
    }

    private static bool HasStringLiteralPart(ExpressionSyntax expression)
    {
        while (true)
        {
            while (expression is ParenthesizedExpressionSyntax parenthesized)
            {
                expression = parenthesized.Expression;
            }

            if (expression is not BinaryExpressionSyntax binary || !binary.IsKind(SyntaxKind.AddExpression))
            {
                return expression.IsKind(SyntaxKind.StringLiteralExpression);
            }

            // + chains lean left: recurse into the (short) right side, loop down the left.
            if (HasStringLiteralPart(binary.Right))
            {
                return true;
            }

            expression = binary.Left;
        }
    }

    /// <summary>The leaves of a + chain in source order (parentheses see-through).</summary>
    private static void CollectParts(ExpressionSyntax expression, List<ExpressionSyntax> parts)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        if (expression is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.AddExpression))
        {
            CollectParts(binary.Left, parts);
            CollectParts(binary.Right, parts);
        }
        else
        {
            parts.Add(expression);
        }
    }

    private static int PartAt(int[] starts, int offset)
    {
        for (var i = starts.Length - 2; i >= 0; i--)
        {
            if (starts[i] <= offset && starts[i] < starts[i + 1])
            {
                return i;
            }
        }

        return 0;
    }
}
