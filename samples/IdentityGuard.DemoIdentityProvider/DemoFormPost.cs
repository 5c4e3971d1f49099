using System;
using System.Collections.Generic;
using System.Net;
using System.Text.RegularExpressions;

namespace IdentityGuard.Demo;

/// <summary>
/// The auto-submitting page an authorization server answers with for <c>response_mode=form_post</c>: where the browser
/// posts, and the hidden fields (code, state, iss) it posts. Read with a pattern that fits the demo server's page.
/// </summary>
/// <param name="Action">The client's callback the form posts to.</param>
/// <param name="Fields">The hidden fields.</param>
public sealed partial record DemoFormPost(Uri Action, IReadOnlyDictionary<string, string> Fields)
{
    /// <summary>The form in <paramref name="html"/>, or <see langword="null"/> when it has no POST form.</summary>
    public static DemoFormPost? Parse(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var form = FormPattern().Match(html);
        if (!form.Success)
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputPattern().Matches(html))
        {
            fields[WebUtility.HtmlDecode(input.Groups[1].Value)] = WebUtility.HtmlDecode(input.Groups[2].Value);
        }

        return new DemoFormPost(new Uri(WebUtility.HtmlDecode(form.Groups[1].Value)), fields);
    }

    /// <summary>Describes the form without its fields, which carry a one-time code.</summary>
    public override string ToString() => $"form_post to {Action.GetLeftPart(UriPartial.Path)} ({Fields.Count} fields)";

    [GeneratedRegex("<form[^>]*method=\"post\"[^>]*action=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex InputPattern();
}
