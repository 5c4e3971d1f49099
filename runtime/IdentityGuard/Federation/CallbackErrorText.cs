namespace IdentityGuard.Federation;

/// <summary>
/// The <c>error</c> and <c>error_description</c> of an authorization response come from whoever sent the browser to
/// the callback, so they are untrusted text that ends up in audit events, log lines and exception messages. They are
/// cut down to what RFC 6749 §4.1.2.1 allows (printable ASCII without <c>"</c> and <c>\</c>; no spaces in the code)
/// and to a bounded length, so they can neither forge a second audit line nor grow without bound.
/// </summary>
internal static class CallbackErrorText
{
    private const int MaxCodeLength = 64;
    private const int MaxDescriptionLength = 256;

    /// <summary>The error code if it is a well-formed one, otherwise <c>invalid_error</c>.</summary>
    public static string Code(string? error)
    {
        if (string.IsNullOrEmpty(error))
        {
            return "invalid_request";
        }

        if (error.Length > MaxCodeLength)
        {
            return "invalid_error";
        }

        foreach (var c in error)
        {
            if (!IsErrorChar(c) || c == ' ')
            {
                return "invalid_error";
            }
        }

        return error;
    }

    /// <summary>The description with every character RFC 6749 does not allow dropped, capped in length.</summary>
    public static string? Description(string? description)
    {
        if (string.IsNullOrEmpty(description))
        {
            return null;
        }

        var kept = new System.Text.StringBuilder(System.Math.Min(description.Length, MaxDescriptionLength));
        foreach (var c in description)
        {
            if (kept.Length == MaxDescriptionLength)
            {
                break;
            }

            if (IsErrorChar(c))
            {
                kept.Append(c);
            }
        }

        return kept.Length == 0 ? null : kept.ToString();
    }

    // NQSCHAR = %x20-21 / %x23-5B / %x5D-7E
    private static bool IsErrorChar(char c) => c is (>= '\x20' and <= '\x21') or (>= '\x23' and <= '\x5B') or (>= '\x5D' and <= '\x7E');
}
