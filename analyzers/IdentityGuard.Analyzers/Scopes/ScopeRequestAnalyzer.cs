using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using IdentityGuard.Analyzers.Descriptors;
using IdentityGuard.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.Analyzers.Scopes;

/// <summary>
/// Scopes named in code where a token is requested (<see cref="ScopeSinks"/>): IG0101 for a scope the catalog knows
/// to be broad, IG0103 (suggestion) for a read-write scope where a read-only one exists, and IG0102 for a scope that
/// IdentityGuard's string-based APIs request from a manifest provider that does not declare it.
/// </summary>
/// <remarks>
/// Only constant scope values are read: string literals, constants, and arrays, collection expressions or collection
/// initializers of them; a string holds one or more space-separated scopes. The symbols are resolved once per
/// compilation and the rule registers nothing when no token library (and no IdentityGuard runtime) is referenced.
/// The manifest is parsed at most once per compilation, on first need, and shared with
/// <see cref="ManifestScopeAnalyzer"/> through <see cref="ManifestScopes"/>' cache.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ScopeRequestAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Rules.BroadScopeRequested, Rules.UndeclaredScope, Rules.ReadWriteScope);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext start)
    {
        var anyAnchor = false;
        var symbols = CompilationSymbols.For(start.Compilation);
        foreach (var name in ScopeSinks.AnchorTypes)
        {
            if (symbols.Type(name) is not null)
            {
                anyAnchor = true;
                break;
            }
        }

        if (!anyAnchor)
        {
            return;
        }

        var additionalFiles = start.Options.AdditionalFiles;
        var manifest = new Lazy<ManifestScopes?>(() => ManifestScopes.Get(additionalFiles, CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);
        start.RegisterOperationAction(context => AnalyzeInvocation(context, manifest), OperationKind.Invocation);
        start.RegisterOperationAction(context => AnalyzeCreation(context, manifest), OperationKind.ObjectCreation);
        start.RegisterOperationAction(context => AnalyzeAssignment(context, manifest), OperationKind.SimpleAssignment);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, Lazy<ManifestScopes?> manifest)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.Name == "Add" && invocation.Arguments.Length == 1
            && invocation.Instance is IPropertyReferenceOperation { Property: { } collection })
        {
            // options.Scope.Add("…"): a scope collection property of a sink type.
            AnalyzeCollectionAdd(context, collection, invocation.Arguments[0].Value, manifest);
            return;
        }

        AnalyzeCall(context, invocation.TargetMethod, invocation.Arguments, manifest);
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, Lazy<ManifestScopes?> manifest)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Constructor is { } constructor)
        {
            AnalyzeCall(context, constructor, creation.Arguments, manifest);
        }
    }

    private static void AnalyzeCollectionAdd(OperationAnalysisContext context, IPropertySymbol collection, IOperation value, Lazy<ManifestScopes?> manifest)
    {
        if (!ScopeSinks.ByMember.TryGetValue(collection.Name, out var sinks))
        {
            return;
        }

        foreach (var sink in sinks)
        {
            if (sink.ParameterName is null && IsDeclaredBy(collection.ContainingType, sink))
            {
                AnalyzeScopes(context, value, sink, null, manifest);
                return;
            }
        }
    }

    private static void AnalyzeCall(OperationAnalysisContext context, IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments, Lazy<ManifestScopes?> manifest)
    {
        if (!ScopeSinks.ByMember.TryGetValue(method.Name, out var sinks))
        {
            return;
        }

        foreach (var sink in sinks)
        {
            if (sink.ParameterName is null || !IsDeclaredBy(method.ContainingType, sink))
            {
                continue;
            }

            IArgumentOperation? scopes = null;
            string? provider = null;
            foreach (var argument in arguments)
            {
                var parameterName = argument.Parameter?.Name;
                if (parameterName == sink.ParameterName)
                {
                    scopes = argument;
                }
                else if (sink.ProviderParameter is not null && parameterName == sink.ProviderParameter
                    && Unwrap(argument.Value).ConstantValue is { HasValue: true, Value: string name })
                {
                    provider = name;
                }
            }

            if (scopes is not null)
            {
                AnalyzeScopes(context, scopes.Value, sink, provider, manifest);
            }

            return;
        }
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, Lazy<ManifestScopes?> manifest)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: { } property }
            || !ScopeSinks.ByMember.TryGetValue(property.Name, out var sinks))
        {
            return;
        }

        foreach (var sink in sinks)
        {
            if (sink.ParameterName is null && IsDeclaredBy(property.ContainingType, sink))
            {
                AnalyzeScopes(context, assignment.Value, sink, null, manifest);
                return;
            }
        }
    }

    private static void AnalyzeScopes(OperationAnalysisContext context, IOperation value, ScopeSink sink, string? providerName, Lazy<ManifestScopes?> manifest)
    {
        var values = new List<IOperation>();
        Collect(value, values);
        if (values.Count == 0)
        {
            return;
        }

        ProviderScopes? provider = null;
        if (providerName is not null && manifest.Value is { } scopes)
        {
            provider = scopes.Find(providerName);
        }

        var vendor = sink.Vendor ?? provider?.Vendor;
        string? hint = null;
        var hinted = false;
        var requestContext = provider is { Context: not RequestContext.Unknown } ? provider.Context : sink.Context;
        foreach (var operation in values)
        {
            var text = (string)operation.ConstantValue.Value!;
            var start = 0;
            while (start < text.Length)
            {
                var end = text.IndexOf(' ', start);
                if (end < 0)
                {
                    end = text.Length;
                }

                if (end > start)
                {
                    var scope = text.Substring(start, end - start);
                    Location? location = null;
                    // Without a vendor from the API or the manifest, the scope's own spelling comes first, then the
                    // authorization server named in the surrounding code (read once per argument, only when needed).
                    var scopeVendor = vendor;
                    if (scopeVendor is null && ScopeCatalog.InferVendor(scope) is null)
                    {
                        if (!hinted)
                        {
                            hint = ScopeVendorHints.FromEnclosingCode(value.Syntax);
                            hinted = true;
                        }

                        scopeVendor = hint;
                    }

                    if (ScopeCatalog.Find(scope, scopeVendor, requestContext) is { } finding)
                    {
                        location = LocationOf(operation, text, start, scope.Length);
                        var properties = ScopeDiagnostics.Properties(scope, finding);
                        context.ReportDiagnostic(Diagnostic.Create(
                            finding.Entry.Breadth == ScopeBreadth.Broad ? Rules.BroadScopeRequested : Rules.ReadWriteScope,
                            location,
                            properties,
                            scope,
                            finding.Entry.Reason,
                            finding.Suggestion()));
                    }

                    if (provider is not null && !provider.Declares(scope))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(
                            Rules.UndeclaredScope, location ?? LocationOf(operation, text, start, scope.Length), scope, provider.Name));
                    }
                }

                start = end + 1;
            }
        }
    }

    /// <summary>The constant string values making up a scope argument, each with the operation that holds it.</summary>
    private static void Collect(IOperation value, List<IOperation> into)
    {
        value = Unwrap(value);
        if (value.ConstantValue is { HasValue: true, Value: string })
        {
            into.Add(value);
            return;
        }

        if (value.Syntax is CollectionExpressionSyntax)
        {
            // [ "a", "b" ]: an ICollectionExpressionOperation from Roslyn 4.9 on, an operation without a kind before
            // (this assembly builds against 4.8); either way the elements are its children.
            foreach (var element in value.ChildOperations)
            {
                Collect(element, into);
            }

            return;
        }

        switch (value)
        {
            case IArrayCreationOperation { Initializer: { } initializer }:
                foreach (var element in initializer.ElementValues)
                {
                    Collect(element, into);
                }

                break;
            case IObjectCreationOperation { Initializer: { } initializer }:
                foreach (var element in initializer.Initializers)
                {
                    // new List<string> { "a", "b" }: each element is an Add call.
                    if (element is IInvocationOperation { Arguments.Length: 1 } add)
                    {
                        Collect(add.Arguments[0].Value, into);
                    }
                }

                break;
        }
    }

    private static IOperation Unwrap(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value;
    }

    /// <summary>
    /// The scope itself when the literal holds several and has no escapes (so the column is exact); otherwise the whole
    /// literal, or the constant's reference.
    /// </summary>
    private static Location LocationOf(IOperation operation, string text, int start, int length)
    {
        if (operation.Syntax is LiteralExpressionSyntax literal && literal.Token.IsKind(SyntaxKind.StringLiteralToken))
        {
            var tokenText = literal.Token.Text;
            if (length != text.Length && tokenText.Length == text.Length + 2 && tokenText[0] == '"')
            {
                return Location.Create(literal.SyntaxTree, new TextSpan(literal.Token.SpanStart + 1 + start, length));
            }
        }

        return operation.Syntax.GetLocation();
    }

    /// <summary>Whether <paramref name="type"/> is the sink's type (or any type of its namespace), compared without allocating.</summary>
    private static bool IsDeclaredBy(INamedTypeSymbol? type, ScopeSink sink)
    {
        if (type is null || (sink.TypeName is not null && type.Name != sink.TypeName))
        {
            return false;
        }

        var @namespace = type.ContainingNamespace;
        var end = sink.Namespace.Length;
        while (@namespace is { IsGlobalNamespace: false })
        {
            var name = @namespace.Name;
            var start = end - name.Length;
            if (start < 0 || string.CompareOrdinal(sink.Namespace, start, name, 0, name.Length) != 0 || (start > 0 && sink.Namespace[start - 1] != '.'))
            {
                return false;
            }

            end = start - 1;
            @namespace = @namespace.ContainingNamespace;
        }

        return end == -1;
    }
}
