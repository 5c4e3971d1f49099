using System;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace IdentityGuard.Demo;

/// <summary>
/// Where the authorization endpoint sent a <see cref="DemoBrowser"/>: the client's callback URL with either a
/// <c>code</c> or an <c>error</c>, plus <c>state</c> (and <c>iss</c>, RFC 9207). Its string form omits the code.
/// </summary>
public sealed class DemoAuthorizationRedirect
{
    internal DemoAuthorizationRedirect(Uri redirectUri)
    {
        RedirectUri = redirectUri;
        var query = QueryHelpers.ParseQuery(redirectUri.Query);
        Code = Single(query, "code");
        State = Single(query, "state");
        Error = Single(query, "error");
        ErrorDescription = Single(query, "error_description");
        Issuer = Single(query, "iss");
    }

    /// <summary>The full callback URL, as the client's redirect endpoint would receive it.</summary>
    public Uri RedirectUri { get; }

    /// <summary>The authorization code, or <see langword="null"/> when the request was refused.</summary>
    public string? Code { get; }

    /// <summary>The <c>state</c> the client sent, echoed back.</summary>
    public string? State { get; }

    /// <summary>The OAuth error code, e.g. <c>access_denied</c> when the user refused consent; <see langword="null"/> on success.</summary>
    public string? Error { get; }

    /// <summary>The server's explanation of <see cref="Error"/>, if any.</summary>
    public string? ErrorDescription { get; }

    /// <summary>The <c>iss</c> parameter (RFC 9207) identifying the authorization server, if sent.</summary>
    public string? Issuer { get; }

    /// <summary>Whether the redirect carries a code and no error.</summary>
    public bool IsSuccess => Code is not null && Error is null;

    /// <summary>Describes the redirect without the authorization code, which is a one-time credential.</summary>
    /// <returns>The callback's path and the outcome.</returns>
    public override string ToString() =>
        RedirectUri.GetLeftPart(UriPartial.Path) + (IsSuccess ? " (code issued)" : $" (error: {Error ?? "none"})");

    private static string? Single(System.Collections.Generic.Dictionary<string, StringValues> query, string name) =>
        query.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;
}
