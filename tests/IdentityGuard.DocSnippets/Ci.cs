using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Authentication.JwtBearer;

// Suppressions.cs: an assembly-level attribute without a target covers the rule's findings in every file of the
// project, and SARIF records the justification.
[assembly: SuppressMessage("Security", "IG0100:Manifest declares an over-broad scope",
    Justification = "The admin agent needs full Drive access; its own client holds the grant.")]

namespace IdentityGuard.DocSnippets;

/// <summary>docs/ci.md.</summary>
internal static class Ci
{
    [SuppressMessage("Security", "IG0002:Secret-named symbol holds a hardcoded random-looking value",
        Justification = "Public test vector from RFC 4231, not a live key.")]
    private const string HmacKeyTestVector = "...";

    public static void Pragma(JwtBearerOptions options)
    {
        #pragma warning disable IG0402 // The local identity provider in docker-compose has no TLS; this path only runs when Environment is Development.
        options.Authority = "http://identity:8080";
        #pragma warning restore IG0402
    }

    public static int Length => HmacKeyTestVector.Length;
}
