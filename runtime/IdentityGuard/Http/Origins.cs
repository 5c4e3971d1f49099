using System;

namespace IdentityGuard.Http;

/// <summary>
/// Web origins (RFC 6454: scheme, host and port) as IdentityGuard compares them, and the rule that a credential
/// travels only over https, or plain http to the local machine.
/// </summary>
internal static class Origins
{
    /// <summary>The origin of an absolute http(s) URL, e.g. <c>https://api.example.com</c>; the default port is left out, user info never appears.</summary>
    public static string Of(Uri uri) => uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);

    public static bool IsHttp(Uri uri) => uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>https anywhere; plain http only on loopback, where nothing crosses a network.</summary>
    public static bool IsSecure(Uri uri) => uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);

    public static bool AreSame(Uri first, Uri second) =>
        IsHttp(first) && IsHttp(second) && string.Equals(Of(first), Of(second), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads an origin as written in the manifest or configuration. Returns what is wrong with it, or
    /// <see langword="null"/> and the normalized origin.
    /// </summary>
    public static string? Parse(string? text, out string origin)
    {
        origin = string.Empty;
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || !IsHttp(uri))
        {
            return "must be an origin such as https://api.example.com";
        }

        if (uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return "must be an origin (scheme, host and optional port) without user info, path, query or fragment, such as https://api.example.com";
        }

        if (!IsSecure(uri))
        {
            return "must use https (plain http is allowed only on loopback)";
        }

        origin = Of(uri);
        return null;
    }
}
