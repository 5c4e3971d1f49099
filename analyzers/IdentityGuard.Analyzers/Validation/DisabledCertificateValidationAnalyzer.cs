using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using IdentityGuard.Analyzers.Descriptors;
using IdentityGuard.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.Analyzers.Validation;

/// <summary>
/// IG0401: server certificate validation turned off. Reported: a reference to
/// <c>HttpClientHandler.DangerousAcceptAnyServerCertificateValidator</c>; a callback that always returns
/// <c>true</c> (<see cref="AcceptingDelegates.AlwaysReturnsTrue"/>) assigned to one of the
/// <see cref="CallbackProperties"/> or passed as a <c>RemoteCertificateValidationCallback</c> argument
/// (<c>new SslStream(…, (_, _, _, _) =&gt; true)</c>). A callback that looks at the policy errors, pins a
/// certificate or throws is left alone.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DisabledCertificateValidationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Properties that hold a server-certificate validation callback: (type, property).</summary>
    internal static readonly ImmutableArray<(string TypeName, string PropertyName)> CallbackProperties = ImmutableArray.Create(
        ("System.Net.Http.HttpClientHandler", "ServerCertificateCustomValidationCallback"),
        ("System.Net.Security.SslClientAuthenticationOptions", "RemoteCertificateValidationCallback"),
        ("System.Net.ServicePointManager", "ServerCertificateValidationCallback"),
        ("System.Net.Http.WinHttpHandler", "ServerCertificateValidationCallback"));

    private const string AcceptAnyType = "System.Net.Http.HttpClientHandler";
    private const string AcceptAnyProperty = "DangerousAcceptAnyServerCertificateValidator";
    private const string CallbackDelegate = "System.Net.Security.RemoteCertificateValidationCallback";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.CertificateValidationDisabled);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = CompilationSymbols.For(start.Compilation);
            var callbacks = new HashSet<IPropertySymbol>(SymbolEqualityComparer.Default);
            foreach (var (typeName, propertyName) in CallbackProperties)
            {
                foreach (var member in symbols.Type(typeName)?.GetMembers(propertyName) ?? ImmutableArray<ISymbol>.Empty)
                {
                    if (member is IPropertySymbol property)
                    {
                        callbacks.Add(property);
                    }
                }
            }

            var acceptAny = symbols.Type(AcceptAnyType)?.GetMembers(AcceptAnyProperty).FirstOrDefault() as IPropertySymbol;
            var callbackDelegate = symbols.Type(CallbackDelegate);
            if (callbacks.Count == 0 && acceptAny is null && callbackDelegate is null)
            {
                return;
            }

            // Cost: a reported callback is a lambda or a method group, so the rule listens to those (rare) rather than to
            // every argument, assignment and property access, and looks at where the callback goes before judging its body.
            if (callbacks.Count > 0 || callbackDelegate is not null)
            {
                start.RegisterOperationAction(operation => AnalyzeCallback(operation, callbacks, callbackDelegate), OperationKind.AnonymousFunction, OperationKind.MethodReference);
            }

            if (acceptAny is not null)
            {
                // A text test per file first: the syntax and the semantic model are looked at only in files that spell the property.
                start.RegisterSemanticModelAction(model => AnalyzeAcceptAny(model, acceptAny));
            }
        });
    }

    private static void AnalyzeAcceptAny(SemanticModelAnalysisContext context, IPropertySymbol acceptAny)
    {
        var tree = context.SemanticModel.SyntaxTree;
        if (!Contains(tree.GetText(context.CancellationToken), AcceptAnyProperty))
        {
            return;
        }

        foreach (var token in tree.GetRoot(context.CancellationToken).DescendantTokens())
        {
            if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != AcceptAnyProperty || token.Parent is not IdentifierNameSyntax identifier)
            {
                continue;
            }

            var reference = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? (SyntaxNode)access : identifier;
            if (context.SemanticModel.GetOperation(reference, context.CancellationToken) is IPropertyReferenceOperation property
                && property.Parent is not INameOfOperation
                && SymbolEqualityComparer.Default.Equals(property.Property.OriginalDefinition, acceptAny))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Rules.CertificateValidationDisabled, reference.GetLocation(), AcceptAnyType.Substring("System.Net.Http.".Length) + "." + AcceptAnyProperty));
            }
        }
    }

    /// <summary>Whether <paramref name="text"/> contains <paramref name="value"/>, read in chunks without building the whole string.</summary>
    private static bool Contains(SourceText text, string value)
    {
        const int ChunkSize = 4096;
        var buffer = new char[ChunkSize + value.Length];
        for (var start = 0; start < text.Length; start += ChunkSize)
        {
            var count = Math.Min(ChunkSize + value.Length - 1, text.Length - start);
            text.CopyTo(start, buffer, 0, count);
            if (buffer.AsSpan(0, count).IndexOf(value.AsSpan(), StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A lambda or method group assigned to one of the <see cref="CallbackProperties"/> or passed as a
    /// <c>RemoteCertificateValidationCallback</c> argument, when it always returns <c>true</c>.
    /// </summary>
    private static void AnalyzeCallback(OperationAnalysisContext context, HashSet<IPropertySymbol> callbacks, INamedTypeSymbol? callbackDelegate)
    {
        var callback = context.Operation;
        var parent = callback.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        switch (parent)
        {
            case IAssignmentOperation { Target: IPropertyReferenceOperation { Property: { } property } } assignment
                when callbacks.Contains(property.OriginalDefinition) && AcceptsAny(assignment.Value, callback):
                context.ReportDiagnostic(Diagnostic.Create(
                    Rules.CertificateValidationDisabled, assignment.Value.Syntax.GetLocation(), property.ContainingType.Name + "." + property.Name));
                break;
            case IArgumentOperation { Parameter: { } parameter } argument
                when callbackDelegate is not null
                    && SymbolEqualityComparer.Default.Equals(parameter.Type, callbackDelegate)
                    && AcceptsAny(argument.Value, callback):
                context.ReportDiagnostic(Diagnostic.Create(
                    Rules.CertificateValidationDisabled, argument.Value.Syntax.GetLocation(), "The RemoteCertificateValidationCallback passed to " + parameter.ContainingSymbol.ContainingType.Name));
                break;
        }
    }

    /// <summary>Whether <paramref name="callback"/> is what <paramref name="value"/> holds and it always returns true.</summary>
    private static bool AcceptsAny(IOperation value, IOperation callback) => callback is IAnonymousFunctionOperation lambda
        ? AcceptingDelegates.LambdaOf(value) == lambda && AcceptingDelegates.AlwaysReturnsTrue(lambda)
        : AcceptingDelegates.IsMethodReturningTrue(value);
}
