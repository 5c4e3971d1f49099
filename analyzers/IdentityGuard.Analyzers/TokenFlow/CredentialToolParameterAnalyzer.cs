using System.Collections.Generic;
using System.Collections.Immutable;
using IdentityGuard.Analyzers.Descriptors;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.TokenFlow;

/// <summary>
/// IG0302: an agent tool parameter that carries a credential, so the model would have to supply it. A parameter
/// counts when it is of an IdentityGuard credential type, or is a string whose name says credential
/// (<see cref="CredentialParameterNames"/>). Tools are those of <see cref="AgentTools"/>: attributed methods
/// (reported at the parameter), lambdas passed to a factory (at the parameter) and method groups passed to a factory
/// (at the method-group argument, unless the method is attributed and so already reported).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CredentialToolParameterAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Parameter types that are credentials whatever the parameter is called.</summary>
    private static readonly ImmutableArray<string> CredentialTypes = ImmutableArray.Create(
        "IdentityGuard.Tokens.AccessToken",
        "IdentityGuard.Tokens.ApiKey",
        "IdentityGuard.Workload.WorkloadAccessToken",
        "IdentityGuard.Vault.RefreshToken",
        "IdentityGuard.Authorization.InboundAccessToken",
        "IdentityGuard.Tokens.SecretValue",
        "System.Net.NetworkCredential",
        "System.Security.SecureString");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Rules.CredentialToolParameter);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var tools = ResolvedAgentTools.Resolve(context.Compilation);
        if (tools.IsEmpty)
        {
            return;
        }

        var credentialTypes = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var name in CredentialTypes)
        {
            if (context.Compilation.GetTypeByMetadataName(name) is { } type)
            {
                credentialTypes.Add(type);
            }
        }

        bool IsCredential(IParameterSymbol parameter) =>
            (parameter.Type is INamedTypeSymbol named && credentialTypes.Contains(named.OriginalDefinition))
            || (parameter.Type.SpecialType == SpecialType.System_String && CredentialParameterNames.IsCredentialName(parameter.Name));

        context.RegisterSymbolAction(
            symbol =>
            {
                var method = (IMethodSymbol)symbol.Symbol;
                if (!tools.IsToolMethod(method))
                {
                    return;
                }

                foreach (var parameter in method.Parameters)
                {
                    if (IsCredential(parameter) && parameter.Locations.Length > 0 && parameter.Locations[0].IsInSource)
                    {
                        symbol.ReportDiagnostic(Diagnostic.Create(Rules.CredentialToolParameter, parameter.Locations[0], parameter.Name, method.Name));
                    }
                }
            },
            SymbolKind.Method);

        context.RegisterOperationAction(
            operation =>
            {
                var invocation = (IInvocationOperation)operation.Operation;
                if (!tools.IsFactory(invocation))
                {
                    return;
                }

                var factory = invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name;
                foreach (var lambda in ResolvedAgentTools.Lambdas(invocation))
                {
                    foreach (var parameter in lambda.Symbol.Parameters)
                    {
                        if (IsCredential(parameter) && parameter.Locations.Length > 0)
                        {
                            operation.ReportDiagnostic(Diagnostic.Create(
                                Rules.CredentialToolParameter, parameter.Locations[0], parameter.Name, "lambda passed to " + factory));
                        }
                    }
                }

                foreach (var (argument, method) in ResolvedAgentTools.MethodGroups(invocation))
                {
                    if (tools.IsToolMethod(method))
                    {
                        continue;
                    }

                    foreach (var parameter in method.Parameters)
                    {
                        if (IsCredential(parameter))
                        {
                            operation.ReportDiagnostic(Diagnostic.Create(
                                Rules.CredentialToolParameter, argument.Value.Syntax.GetLocation(), parameter.Name, method.Name));
                        }
                    }
                }
            },
            OperationKind.Invocation);
    }
}
