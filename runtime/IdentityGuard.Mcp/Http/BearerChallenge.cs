using System.Linq;
using System.Text;

namespace IdentityGuard.Mcp.Http;

/// <summary>Builds <c>WWW-Authenticate: Bearer …</c> values (RFC 6750 section 3, RFC 9728 section 5.1).</summary>
internal static class BearerChallenge
{
    public static string Build(string? error, string? description, string? scope, string? resourceMetadata)
    {
        var builder = new StringBuilder("Bearer");
        var separator = " ";
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                builder.Append(separator).Append(name).Append("=\"").Append(QuotedStringSafe(value)).Append('"');
                separator = ", ";
            }
        }

        Add("error", error);
        Add("error_description", description);
        Add("scope", scope);
        Add("resource_metadata", resourceMetadata);
        return builder.ToString();
    }

    // RFC 6750 limits these values to printable ASCII without '"' and '\'.
    private static string QuotedStringSafe(string value) =>
        new(value.Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '?').ToArray());
}
