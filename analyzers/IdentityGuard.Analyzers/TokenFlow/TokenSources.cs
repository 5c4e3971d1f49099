using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.TokenFlow;

/// <summary>How a source member yields its credential.</summary>
internal enum SourceKind
{
    /// <summary>The method's result (or the result of awaiting it) is the credential.</summary>
    Method,

    /// <summary>The property's value is the credential.</summary>
    Property,

    /// <summary>A header lookup (indexer or <c>GetValues</c>) whose first argument names a credential header.</summary>
    HeaderLookup,
}

/// <summary>One row of the source table: a member of a type, by metadata name.</summary>
/// <param name="TypeName">Metadata name of the declaring type.</param>
/// <param name="MemberName">Member name (<c>this[]</c> for an indexer).</param>
/// <param name="Kind">How the member yields the credential.</param>
/// <param name="ExposedMember">
/// When the value is an object that holds the credential in one member (an <c>AuthenticationHeaderValue</c>
/// holds it in <c>Parameter</c>), that member: reading the other members (<c>Scheme</c>) is then not a leak.
/// </param>
internal sealed record TokenSource(string TypeName, string MemberName, SourceKind Kind, string? ExposedMember = null);

/// <summary>A type whose values carry a credential in some of their members (<see cref="TokenSources.Carriers"/>).</summary>
/// <param name="TypeName">Metadata name of the type.</param>
/// <param name="Members">The members that hold (or print) the credential.</param>
internal sealed class TokenCarrier
{
    public TokenCarrier(string typeName, params string[] members)
    {
        TypeName = typeName;
        Members = ImmutableArray.Create(members);
    }

    public string TypeName { get; }

    public ImmutableArray<string> Members { get; }
}

/// <summary>
/// Where token values come from. A data table rather than code: adding a library's token type is one row.
/// </summary>
/// <remarks>
/// The IdentityGuard credential types themselves (<c>AccessToken</c>, <c>ApiKey</c>, …) are <b>not</b> sources:
/// their <c>ToString()</c> prints a redacted description and their JSON converter writes <c>"[redacted]"</c>, so
/// logging, formatting or returning the object discloses nothing. Only <c>RevealValue()</c> yields the secret.
/// </remarks>
internal static class TokenSources
{
    public static readonly ImmutableArray<TokenSource> All = ImmutableArray.Create(
        // IdentityGuard's own credential types: the value is reachable only through RevealValue().
        new TokenSource("IdentityGuard.Tokens.AccessToken", "RevealValue", SourceKind.Method),
        new TokenSource("IdentityGuard.Tokens.ApiKey", "RevealValue", SourceKind.Method),
        new TokenSource("IdentityGuard.Workload.WorkloadAccessToken", "RevealValue", SourceKind.Method),
        new TokenSource("IdentityGuard.Vault.RefreshToken", "RevealValue", SourceKind.Method),
        new TokenSource("IdentityGuard.Authorization.InboundAccessToken", "RevealValue", SourceKind.Method),
        // The runtime declares RevealValue() once, on their base; a row matches the declaring type, so the base has its own.
        new TokenSource("IdentityGuard.Tokens.SecretValue", "RevealValue", SourceKind.Method),

        // MSAL and Microsoft.Identity.Web.
        new TokenSource("Microsoft.Identity.Client.AuthenticationResult", "AccessToken", SourceKind.Property),
        new TokenSource("Microsoft.Identity.Client.AuthenticationResult", "IdToken", SourceKind.Property),
        new TokenSource("Microsoft.Identity.Web.ITokenAcquisition", "GetAccessTokenForUserAsync", SourceKind.Method),
        new TokenSource("Microsoft.Identity.Web.ITokenAcquisition", "GetAccessTokenForAppAsync", SourceKind.Method),

        // Azure.Core credentials (DefaultAzureCredential.GetTokenAsync(...).Token).
        new TokenSource("Azure.Core.AccessToken", "Token", SourceKind.Property),

        // Duende.IdentityModel (and its predecessor IdentityModel, same shape, older namespace).
        new TokenSource("Duende.IdentityModel.Client.TokenResponse", "AccessToken", SourceKind.Property),
        new TokenSource("Duende.IdentityModel.Client.TokenResponse", "RefreshToken", SourceKind.Property),
        new TokenSource("Duende.IdentityModel.Client.TokenResponse", "IdentityToken", SourceKind.Property),
        new TokenSource("IdentityModel.Client.TokenResponse", "AccessToken", SourceKind.Property),
        new TokenSource("IdentityModel.Client.TokenResponse", "RefreshToken", SourceKind.Property),
        new TokenSource("IdentityModel.Client.TokenResponse", "IdentityToken", SourceKind.Property),

        // ASP.NET Core saved tokens (SaveTokens = true) and inbound Authorization headers. HttpContext.GetTokenAsync is
        // declared by AuthenticationHttpContextExtensions; AuthenticationTokenExtensions declares the
        // IAuthenticationService overloads and GetTokenValue.
        new TokenSource("Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions", "GetTokenAsync", SourceKind.Method),
        new TokenSource("Microsoft.AspNetCore.Authentication.AuthenticationTokenExtensions", "GetTokenAsync", SourceKind.Method),
        new TokenSource("Microsoft.AspNetCore.Authentication.AuthenticationTokenExtensions", "GetTokenValue", SourceKind.Method),
        new TokenSource("Microsoft.AspNetCore.Authentication.AuthenticationToken", "Value", SourceKind.Property),
        new TokenSource("Microsoft.AspNetCore.Http.IHeaderDictionary", "Authorization", SourceKind.Property),
        new TokenSource("Microsoft.AspNetCore.Http.IHeaderDictionary", "this[]", SourceKind.HeaderLookup),

        // HttpClient headers: the header value object prints "Bearer <token>"; its Scheme alone is harmless.
        new TokenSource("System.Net.Http.Headers.HttpRequestHeaders", "Authorization", SourceKind.Property, ExposedMember: "Parameter"),
        new TokenSource("System.Net.Http.Headers.HttpRequestHeaders", "ProxyAuthorization", SourceKind.Property, ExposedMember: "Parameter"),
        new TokenSource("System.Net.Http.Headers.HttpHeaders", "GetValues", SourceKind.HeaderLookup),

        // Tokens minted or parsed in process.
        new TokenSource("System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler", "WriteToken", SourceKind.Method),
        new TokenSource("System.IdentityModel.Tokens.Jwt.JwtSecurityToken", "RawData", SourceKind.Property),
        new TokenSource("Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler", "CreateToken", SourceKind.Method),
        new TokenSource("Microsoft.IdentityModel.JsonWebTokens.JsonWebToken", "EncodedToken", SourceKind.Property));

    /// <summary>
    /// Types whose every value holds a credential in the named members: a token response prints or serializes them
    /// (structured loggers and JSON write public properties), request headers print their <c>Authorization</c> line.
    /// The object is tainted in those members only, so its metadata (<c>ExpiresOn</c>, <c>Accept</c>) stays clean.
    /// Derived types count too.
    /// </summary>
    public static readonly ImmutableArray<TokenCarrier> Carriers = ImmutableArray.Create(
        new TokenCarrier("Microsoft.Identity.Client.AuthenticationResult", "AccessToken", "IdToken"),
        new TokenCarrier("Duende.IdentityModel.Client.TokenResponse", "AccessToken", "RefreshToken", "IdentityToken", "Raw", "Json"),
        new TokenCarrier("IdentityModel.Client.TokenResponse", "AccessToken", "RefreshToken", "IdentityToken", "Raw", "Json"),
        new TokenCarrier("System.Net.Http.Headers.HttpRequestHeaders", "Authorization", "ProxyAuthorization", "NonValidated"));

    /// <summary>Members of a token response that hold its whole body: on a failed request, an error document.</summary>
    public static readonly ImmutableHashSet<string> ErrorBodyMembers = ImmutableHashSet.Create(StringComparer.Ordinal, "Raw", "Json");

    /// <summary>The token response member that says the request failed (<c>if (response.IsError)</c>).</summary>
    public const string ErrorFlag = "IsError";

    /// <summary>
    /// Names ASP.NET Core saves next to the tokens (<c>SaveTokens = true</c>) that are not credentials:
    /// <c>GetTokenAsync("expires_at")</c> is a timestamp, <c>"token_type"</c> the word "Bearer".
    /// </summary>
    public static readonly ImmutableHashSet<string> SavedNonTokenNames = ImmutableHashSet.Create(StringComparer.Ordinal, "expires_at", "token_type");

    /// <summary>Header names whose values are credentials (compared case-insensitively, as HTTP does).</summary>
    public static readonly ImmutableArray<string> CredentialHeaders = ImmutableArray.Create("Authorization", "Proxy-Authorization");
}

/// <summary>The source table resolved against one compilation: only rows whose type exists.</summary>
internal sealed class ResolvedTokenSources
{
    private readonly Dictionary<ISymbol, TokenSource> _members;
    private readonly Dictionary<INamedTypeSymbol, Taint> _carriers;

    private ResolvedTokenSources(Dictionary<ISymbol, TokenSource> members, Dictionary<INamedTypeSymbol, Taint> carriers)
    {
        _members = members;
        _carriers = carriers;
    }

    public bool IsEmpty => _members.Count == 0 && _carriers.Count == 0;

    public static ResolvedTokenSources Resolve(Compilation compilation)
    {
        var members = new Dictionary<ISymbol, TokenSource>(SymbolEqualityComparer.Default);
        foreach (var row in TokenSources.All)
        {
            if (compilation.GetTypeByMetadataName(row.TypeName) is not { } type)
            {
                continue;
            }

            foreach (var member in type.GetMembers(row.MemberName))
            {
                if (member is IMethodSymbol or IPropertySymbol)
                {
                    members[member.OriginalDefinition] = row;
                }
            }
        }

        var carriers = new Dictionary<INamedTypeSymbol, Taint>(SymbolEqualityComparer.Default);
        foreach (var carrier in TokenSources.Carriers)
        {
            if (compilation.GetTypeByMetadataName(carrier.TypeName) is { } type)
            {
                carriers[type] = Taint.OfMembers(carrier.Members);
            }
        }

        return new ResolvedTokenSources(members, carriers);
    }

    /// <summary>The members of a value of <paramref name="type"/> that carry a credential, or null for other types.</summary>
    public Taint? CarrierTaint(ITypeSymbol? type)
    {
        if (_carriers.Count == 0)
        {
            return null;
        }

        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (_carriers.TryGetValue(current.OriginalDefinition, out var taint))
            {
                return taint;
            }
        }

        return null;
    }

    /// <summary>The row an invocation or property read matches, or null.</summary>
    public TokenSource? Match(IOperation operation)
    {
        ISymbol? member;
        ImmutableArray<IArgumentOperation> arguments;
        switch (operation)
        {
            case IInvocationOperation invocation:
                member = (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).OriginalDefinition;
                arguments = invocation.Arguments;
                break;
            case IPropertyReferenceOperation property:
                member = property.Property.OriginalDefinition;
                arguments = property.Arguments;
                break;
            default:
                return null;
        }

        if (!_members.TryGetValue(member, out var row))
        {
            return null;
        }

        if (row.Kind == SourceKind.Method && row.MemberName is "GetTokenAsync" or "GetTokenValue" && NamesSavedNonToken(arguments))
        {
            return null;
        }

        return row.Kind != SourceKind.HeaderLookup || NamesCredentialHeader(arguments) ? row : null;
    }

    /// <summary>The <c>tokenName</c> argument is a constant naming a saved value that is not a credential (<c>"expires_at"</c>).</summary>
    private static bool NamesSavedNonToken(ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Name == "tokenName")
            {
                return argument.Value.ConstantValue is { HasValue: true, Value: string name } && TokenSources.SavedNonTokenNames.Contains(name);
            }
        }

        return false;
    }

    /// <summary>The first string argument is a constant credential header name (<c>"Authorization"</c>, <c>HeaderNames.Authorization</c>).</summary>
    internal static bool NamesCredentialHeader(ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument.Value.Type?.SpecialType != SpecialType.System_String)
            {
                continue;
            }

            if (argument.Value.ConstantValue is { HasValue: true, Value: string name })
            {
                foreach (var header in TokenSources.CredentialHeaders)
                {
                    if (string.Equals(name, header, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        return false;
    }
}
