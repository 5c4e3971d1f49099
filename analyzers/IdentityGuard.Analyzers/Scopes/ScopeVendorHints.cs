using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IdentityGuard.Analyzers.Scopes;

/// <summary>
/// The vendor of a token request whose API does not say it (Duende's requests, ASP.NET Core's OAuth handler), read
/// from the vendor's own hosts named in the same configuration code: <c>AuthorizationEndpoint =
/// "https://github.com/login/oauth/authorize"</c> next to <c>options.Scope.Add("repo")</c>, or the address of the
/// token request that carries the scope.
/// </summary>
/// <remarks>
/// Only the nearest lambda or member body around the scope is read, and only its string literals. Code that names
/// hosts of two vendors there gets no vendor, so an ambiguous hint never makes a plain word (<c>repo</c>,
/// <c>full</c>) a finding. Runs only when a token API is called with a constant scope, which is rare.
/// </remarks>
internal static class ScopeVendorHints
{
    /// <summary>Host names (and their subdomains) of one vendor's authorization server.</summary>
    /// <remarks>
    /// Authorization and token endpoints, not API or scope hosts: a Google scope is itself a googleapis.com URL and
    /// must not make the GitHub scope next to it Google's.
    /// </remarks>
    private static readonly (string Host, string Vendor)[] Hosts =
    {
        ("github.com", ScopeCatalog.GitHub),
        ("slack.com", ScopeCatalog.Slack),
        ("salesforce.com", ScopeCatalog.Salesforce),
        ("auth.atlassian.com", ScopeCatalog.Atlassian),
        ("accounts.google.com", ScopeCatalog.Google),
        ("oauth2.googleapis.com", ScopeCatalog.Google),
        ("okta.com", ScopeCatalog.Okta),
        ("oktapreview.com", ScopeCatalog.Okta),
        ("login.microsoftonline.com", ScopeCatalog.Microsoft),
    };

    public static string? FromEnclosingCode(SyntaxNode scopeSyntax)
    {
        var body = EnclosingBody(scopeSyntax);
        if (body is null)
        {
            return null;
        }

        string? found = null;
        foreach (var token in body.DescendantTokens())
        {
            if (!token.IsKind(SyntaxKind.StringLiteralToken))
            {
                continue;
            }

            var vendor = VendorOfUrl(token.ValueText);
            if (vendor is null)
            {
                continue;
            }

            if (found is not null && found != vendor)
            {
                return null;
            }

            found = vendor;
        }

        return found;
    }

    /// <summary>The vendor whose host an absolute http(s) URL names, or null.</summary>
    internal static string? VendorOfUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        var host = uri.Host;
        foreach (var (known, vendor) in Hosts)
        {
            if (host.Equals(known, StringComparison.OrdinalIgnoreCase)
                || (host.EndsWith(known, StringComparison.OrdinalIgnoreCase) && host[host.Length - known.Length - 1] == '.'))
            {
                return vendor;
            }
        }

        return null;
    }

    private static SyntaxNode? EnclosingBody(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    return lambda.Body;
                case BaseMethodDeclarationSyntax method:
                    return (SyntaxNode?)method.Body ?? method.ExpressionBody;
                case LocalFunctionStatementSyntax local:
                    return (SyntaxNode?)local.Body ?? local.ExpressionBody;
                case AccessorDeclarationSyntax accessor:
                    return (SyntaxNode?)accessor.Body ?? accessor.ExpressionBody;
                case MemberDeclarationSyntax:
                    return current;
            }
        }

        return null;
    }
}
