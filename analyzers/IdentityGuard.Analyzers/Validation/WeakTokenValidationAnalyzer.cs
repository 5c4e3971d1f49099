using System.Collections.Generic;
using System.Collections.Immutable;
using IdentityGuard.Analyzers.Descriptors;
using IdentityGuard.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.Validation;

/// <summary>
/// IG0400: <c>Microsoft.IdentityModel.Tokens.TokenValidationParameters</c> with a check set to the constant
/// <c>false</c>, a validator delegate that accepts every input (<see cref="AcceptingDelegates"/>), or IdentityGuard's
/// own <c>JwtAuthorizerOptions</c> with a weakening switch set to the constant <c>true</c>
/// (<see cref="AuthorizerSwitches"/>). One rule whose
/// message names the property and what is then accepted: the fix is the same for all of them, and one id keeps
/// suppressions and severity settings simple.
/// </summary>
/// <remarks>
/// <c>ValidateIssuerSigningKey = false</c> is not reported: it is the library default and does not turn off signature
/// validation (only the extra checks on the key, such as its lifetime). Turning off signatures is
/// <c>RequireSignedTokens = false</c> or an accepting <c>SignatureValidator</c>, both reported.
/// Only constants count: <c>ValidateLifetime = !environment.IsDevelopment()</c> is a decision, not a mistake.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WeakTokenValidationAnalyzer : DiagnosticAnalyzer
{
    private const string TokenValidationParameters = "Microsoft.IdentityModel.Tokens.TokenValidationParameters";

    private const string JwtAuthorizerOptions = "IdentityGuard.Authorization.JwtAuthorizerOptions";

    /// <summary>Boolean checks that must stay on, and what is accepted when one is off.</summary>
    internal static readonly ImmutableDictionary<string, string> Checks = new Dictionary<string, string>
    {
        ["ValidateIssuer"] = "is set to false: tokens from any issuer are accepted",
        ["ValidateAudience"] = "is set to false: tokens issued for other applications are accepted",
        ["ValidateLifetime"] = "is set to false: expired tokens are accepted",
        ["RequireExpirationTime"] = "is set to false: tokens that never expire are accepted",
        ["RequireSignedTokens"] = "is set to false: unsigned (forgeable) tokens are accepted",
        ["RequireAudience"] = "is set to false: tokens without an audience are accepted",
    }.ToImmutableDictionary();

    /// <summary>Validator delegates, and what an accepting one lets through.</summary>
    internal static readonly ImmutableDictionary<string, string> Validators = new Dictionary<string, string>
    {
        ["SignatureValidator"] = "accepts every token without checking its signature: forged tokens are accepted",
        ["IssuerValidator"] = "accepts every issuer without checking it",
        ["AudienceValidator"] = "accepts every audience without checking it",
        ["LifetimeValidator"] = "accepts every lifetime without checking it: expired tokens are accepted",
    }.ToImmutableDictionary();

    /// <summary>
    /// Switches of IdentityGuard's inbound authorizer whose <c>true</c> turns a check off, and what is then accepted.
    /// Its <c>RequireHttpsMetadata = false</c> is IG0402's (as on every identity library's options).
    /// </summary>
    internal static readonly ImmutableDictionary<string, string> AuthorizerSwitches = new Dictionary<string, string>
    {
        ["DisableAudienceValidation"] = "is set to true: tokens issued for other APIs are accepted",
        ["AllowIdTokenClaims"] = "is set to true: ID tokens carrying nonce or at_hash are no longer refused as access tokens",
    }.ToImmutableDictionary();

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.WeakTokenValidation);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var cache = CompilationSymbols.For(start.Compilation);
            var parameters = cache.Type(TokenValidationParameters);
            var authorizer = cache.Type(JwtAuthorizerOptions);
            if (parameters is null && authorizer is null)
            {
                return;
            }

            start.RegisterOperationAction(operation => Analyze(operation, parameters, authorizer), OperationKind.SimpleAssignment);
        });
    }

    private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol? parameters, INamedTypeSymbol? authorizer)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: { } property })
        {
            return;
        }

        var owner = property.ContainingType.OriginalDefinition;
        if (authorizer is not null && SymbolEqualityComparer.Default.Equals(owner, authorizer))
        {
            if (AuthorizerSwitches.TryGetValue(property.Name, out var weakened) && assignment.Value.ConstantValue is { HasValue: true, Value: true })
            {
                Report(context, assignment, "JwtAuthorizerOptions." + property.Name, weakened);
            }

            return;
        }

        if (parameters is null || !SymbolEqualityComparer.Default.Equals(owner, parameters))
        {
            return;
        }

        if (Checks.TryGetValue(property.Name, out var consequence))
        {
            if (assignment.Value.ConstantValue is { HasValue: true, Value: false })
            {
                Report(context, assignment, "TokenValidationParameters." + property.Name, consequence);
            }
        }
        else if (Validators.TryGetValue(property.Name, out consequence)
            && AcceptingDelegates.LambdaOf(assignment.Value) is { } validator
            && AcceptingDelegates.AlwaysAccepts(validator))
        {
            Report(context, assignment, "TokenValidationParameters." + property.Name, consequence);
        }
    }

    private static void Report(OperationAnalysisContext context, IOperation assignment, string member, string consequence) =>
        context.ReportDiagnostic(Diagnostic.Create(Rules.WeakTokenValidation, assignment.Syntax.GetLocation(), member, consequence));
}
