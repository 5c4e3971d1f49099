using System;
using System.Collections.Immutable;
using IdentityGuard.Analyzers.Descriptors;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.Validation;

/// <summary>
/// IG0402: an identity endpoint given as a constant <c>http://</c> URL whose host is not loopback, or an option that
/// allows such endpoints (<c>RequireHttpsMetadata = false</c>, <c>DiscoveryPolicy.RequireHttps = false</c>).
/// Endpoints are recognized by member or parameter name, and only on types of identity libraries
/// (<see cref="IdentityNamespaces"/>), so that an unrelated <c>Address</c> or <c>authority</c> is never reported.
/// </summary>
/// <remarks>
/// Loopback (<c>localhost</c>, <c>*.localhost</c>, <c>127.0.0.0/8</c>, <c>[::1]</c>) is fine: traffic never leaves the
/// machine, and RFC 8252 recommends it for native apps. <c>RequireHttpsMetadata = false</c> next to a loopback
/// <c>Authority</c>/<c>MetadataAddress</c> in the same initializer or block, or inside <c>if (uri.IsLoopback)</c>, is
/// how code says so and is not reported either.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InsecureIdentityEndpointAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Namespaces (and their children) whose members name identity endpoints.</summary>
    internal static readonly ImmutableArray<string> IdentityNamespaces = ImmutableArray.Create(
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.Identity",
        "Microsoft.IdentityModel",
        "Duende.IdentityModel",
        "IdentityModel",
        "OpenIddict",
        "IdentityGuard");

    /// <summary>Properties and parameters (compared ignoring case) that hold an endpoint credentials are sent to or keys come from.</summary>
    internal static readonly ImmutableHashSet<string> EndpointNames = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "Authority", "AuthorityUri", "AuthorityHost", "MetadataAddress", "TokenEndpoint", "AuthorizationEndpoint",
        "UserInformationEndpoint", "Address", "Issuer", "Instance", "JwksUri");

    /// <summary>Boolean options whose <c>false</c> allows http endpoints.</summary>
    internal static readonly ImmutableHashSet<string> RequireHttpsOptions = ImmutableHashSet.Create(
        StringComparer.Ordinal, "RequireHttpsMetadata", "RequireHttps");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.InsecureIdentityEndpoint);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
        context.RegisterOperationAction(AnalyzeArgument, OperationKind.Argument);
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        // Name first (a set lookup), namespace second (it formats a string).
        if (assignment.Target is not IPropertyReferenceOperation { Property: { } property }
            || !(EndpointNames.Contains(property.Name) || RequireHttpsOptions.Contains(property.Name))
            || !IsIdentityType(property.ContainingType))
        {
            return;
        }

        if (EndpointNames.Contains(property.Name))
        {
            if (InsecureUrl(assignment.Value))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Rules.InsecureIdentityEndpoint, assignment.Value.Syntax.GetLocation(), "'" + property.Name + "'", "uses http:// for a host that is not loopback: tokens and signing keys travel unprotected"));
            }
        }
        else if (RequireHttpsOptions.Contains(property.Name)
            && assignment.Value.ConstantValue is { HasValue: true, Value: false }
            && !HasLoopbackSibling(assignment)
            && !IsGuardedByLoopbackCheck(assignment))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Rules.InsecureIdentityEndpoint, assignment.Syntax.GetLocation(), "'" + property.Name + " = false'", "allows identity metadata and signing keys to be fetched over http://"));
        }
    }

    /// <summary><c>WithAuthority("http://…")</c>, <c>GetDiscoveryDocumentAsync("http://…")</c>, <c>new DiscoveryCache("http://…")</c>.</summary>
    private static void AnalyzeArgument(OperationAnalysisContext context)
    {
        var argument = (IArgumentOperation)context.Operation;
        if (argument.Parameter is not { } parameter
            || !EndpointNames.Contains(parameter.Name)
            || !IsIdentityType(parameter.ContainingSymbol.ContainingType)
            || !InsecureUrl(argument.Value))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Rules.InsecureIdentityEndpoint, argument.Value.Syntax.GetLocation(), "'" + parameter.Name + "'", "uses http:// for a host that is not loopback: tokens and signing keys travel unprotected"));
    }

    private static bool IsIdentityType(INamedTypeSymbol? type)
    {
        if (type?.ContainingNamespace is not { IsGlobalNamespace: false } @namespace)
        {
            return false;
        }

        var name = @namespace.ToDisplayString();
        foreach (var prefix in IdentityNamespaces)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) && (name.Length == prefix.Length || name[prefix.Length] == '.'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A constant string or <c>new Uri(constant)</c> with the http scheme and a non-loopback host, or an interpolated
    /// string whose constant start is <c>http://</c> and a host that is not loopback or not known
    /// (<c>$"http://{host}/realms/agents"</c>).
    /// </summary>
    private static bool InsecureUrl(IOperation value) =>
        ConstantUrl(value) is { } url ? IsInsecure(url) : InterpolatedHttpPrefix(value) is { } prefix && IsInsecurePrefix(prefix);

    /// <summary>The constant text before the first hole of an interpolated string (or of <c>new Uri($"…")</c>), or null.</summary>
    private static string? InterpolatedHttpPrefix(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (value is IObjectCreationOperation { Type: { Name: "Uri", ContainingNamespace.Name: "System" }, Arguments.Length: > 0 } creation)
        {
            return InterpolatedHttpPrefix(creation.Arguments[0].Value);
        }

        return value is IInterpolatedStringOperation { Parts.Length: > 1 } interpolated
            && interpolated.Parts[0] is IInterpolatedStringTextOperation { Text.ConstantValue.Value: string text }
            && text.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                ? text
                : null;
    }

    private static readonly char[] HostDelimiters = { '/', ':', '?', '#' };

    /// <summary>
    /// <c>http://</c> then a hole: the host is not known, and an identity endpoint's host chosen at run time is rarely
    /// loopback. <c>http://host…</c> then a hole: the host is judged as for a constant.
    /// </summary>
    private static bool IsInsecurePrefix(string prefix)
    {
        var rest = prefix.Substring("http://".Length);
        var end = rest.IndexOfAny(HostDelimiters);
        if (end < 0)
        {
            // The host continues into the hole ($"http://{host}" or $"http://idp-{region}.contoso.com"): judged by what is known.
            return rest.Length == 0 || !(rest.Equals("localhost", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("127.", StringComparison.Ordinal));
        }

        return Uri.TryCreate("http://" + rest.Substring(0, end) + "/", UriKind.Absolute, out var uri) && !IsLoopback(uri);
    }

    internal static bool IsInsecure(string url) =>
        url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && !IsLoopback(uri);

    internal static bool IsLoopback(Uri uri) =>
        uri.IsLoopback
        || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    private static string? ConstantUrl(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (value.ConstantValue is { HasValue: true, Value: string text })
        {
            return text;
        }

        return value is IObjectCreationOperation { Type: { Name: "Uri", ContainingNamespace.Name: "System" }, Arguments.Length: > 0 } creation
            ? ConstantUrl(creation.Arguments[0].Value)
            : null;
    }

    /// <summary><c>if (address.IsLoopback) { policy.RequireHttps = false; }</c>: allowed only where it is safe.</summary>
    private static bool IsGuardedByLoopbackCheck(IOperation assignment)
    {
        IOperation child = assignment;
        for (var parent = assignment.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IConditionalOperation conditional && ReferenceEquals(conditional.WhenTrue, child))
            {
                foreach (var operation in conditional.Condition.DescendantsAndSelf())
                {
                    if (operation is IPropertyReferenceOperation { Property.Name: "IsLoopback" } or IInvocationOperation { TargetMethod.Name: "IsLoopback" })
                    {
                        return true;
                    }
                }
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation)
            {
                break;
            }
        }

        return false;
    }

    /// <summary><c>http://localhost…</c> as a constant, or as the constant start of an interpolated string (<c>$"http://localhost:{port}"</c>).</summary>
    private static bool IsLoopbackHttp(IOperation value)
    {
        var url = ConstantUrl(value) ?? InterpolatedHttpPrefix(value);
        return url is not null
            && url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            && !(ConstantUrl(value) is null ? IsInsecurePrefix(url) : IsInsecure(url));
    }

    /// <summary>An assignment of a loopback http URL to an authority or metadata address among the siblings of <paramref name="assignment"/>.</summary>
    private static bool HasLoopbackSibling(IOperation assignment)
    {
        var siblings = assignment.Parent switch
        {
            IObjectOrCollectionInitializerOperation initializer => initializer.Initializers,
            IExpressionStatementOperation { Parent: IBlockOperation block } => block.Operations,
            _ => ImmutableArray<IOperation>.Empty,
        };

        foreach (var sibling in siblings)
        {
            var candidate = sibling is IExpressionStatementOperation statement ? statement.Operation : sibling;
            if (candidate is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Authority" or "MetadataAddress" or "Address" } } endpoint
                && IsLoopbackHttp(endpoint.Value))
            {
                return true;
            }
        }

        // Policy = { RequireHttps = false } nested in new DiscoveryDocumentRequest { Address = "http://127.0.0.1" }:
        // the endpoint is a sibling of the nested initializer.
        return assignment.Parent is IObjectOrCollectionInitializerOperation { Parent: IMemberInitializerOperation nested }
            && HasLoopbackSibling(nested);
    }
}
