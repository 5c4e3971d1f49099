using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using IdentityGuard.Analyzers.Descriptors;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

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
            var compilation = start.Compilation;
            var callbacks = new HashSet<IPropertySymbol>(SymbolEqualityComparer.Default);
            foreach (var (typeName, propertyName) in CallbackProperties)
            {
                foreach (var member in compilation.GetTypeByMetadataName(typeName)?.GetMembers(propertyName) ?? ImmutableArray<ISymbol>.Empty)
                {
                    if (member is IPropertySymbol property)
                    {
                        callbacks.Add(property);
                    }
                }
            }

            var acceptAny = compilation.GetTypeByMetadataName(AcceptAnyType)?.GetMembers(AcceptAnyProperty).FirstOrDefault() as IPropertySymbol;
            var callbackDelegate = compilation.GetTypeByMetadataName(CallbackDelegate);
            if (callbacks.Count == 0 && acceptAny is null && callbackDelegate is null)
            {
                return;
            }

            start.RegisterOperationAction(
                operation =>
                {
                    var assignment = (IAssignmentOperation)operation.Operation;
                    if (assignment.Target is IPropertyReferenceOperation { Property: { } property }
                        && callbacks.Contains(property.OriginalDefinition)
                        && (AcceptingDelegates.LambdaOf(assignment.Value) is { } callback
                            ? AcceptingDelegates.AlwaysReturnsTrue(callback)
                            : AcceptingDelegates.IsMethodReturningTrue(assignment.Value)))
                    {
                        operation.ReportDiagnostic(Diagnostic.Create(
                            Rules.CertificateValidationDisabled, assignment.Value.Syntax.GetLocation(), property.ContainingType.Name + "." + property.Name));
                    }
                },
                OperationKind.SimpleAssignment,
                OperationKind.CompoundAssignment);

            if (acceptAny is not null)
            {
                start.RegisterOperationAction(
                    operation =>
                    {
                        var reference = (IPropertyReferenceOperation)operation.Operation;
                        if (SymbolEqualityComparer.Default.Equals(reference.Property.OriginalDefinition, acceptAny))
                        {
                            operation.ReportDiagnostic(Diagnostic.Create(
                                Rules.CertificateValidationDisabled, reference.Syntax.GetLocation(), AcceptAnyType.Substring("System.Net.Http.".Length) + "." + AcceptAnyProperty));
                        }
                    },
                    OperationKind.PropertyReference);
            }

            if (callbackDelegate is not null)
            {
                start.RegisterOperationAction(
                    operation =>
                    {
                        var argument = (IArgumentOperation)operation.Operation;
                        if (argument.Parameter is { } parameter
                            && SymbolEqualityComparer.Default.Equals(parameter.Type, callbackDelegate)
                            && (AcceptingDelegates.LambdaOf(argument.Value) is { } callback
                                ? AcceptingDelegates.AlwaysReturnsTrue(callback)
                                : AcceptingDelegates.IsMethodReturningTrue(argument.Value)))
                        {
                            operation.ReportDiagnostic(Diagnostic.Create(
                                Rules.CertificateValidationDisabled, argument.Value.Syntax.GetLocation(), "The RemoteCertificateValidationCallback passed to " + parameter.ContainingSymbol.ContainingType.Name));
                        }
                    },
                    OperationKind.Argument);
            }
        });
    }
}
