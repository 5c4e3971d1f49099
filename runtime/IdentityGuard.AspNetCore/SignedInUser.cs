using System.Security.Claims;
using System.Threading.Tasks;
using IdentityGuard.Workload;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace IdentityGuard.AspNetCore;

/// <summary>Who the current HTTP request is signed in as, as a user key (issuer + subject, as for inbound tokens).</summary>
internal static class SignedInUser
{
    /// <summary>
    /// The user key of the browser's sign-in to the app, derived exactly as for inbound tokens (issuer + subject), or
    /// null when the browser is not signed in. A principal whose subject claim has no real issuer (one the app made
    /// up locally) proves nothing and is ignored.
    /// </summary>
    public static async Task<string?> KeyAsync(HttpContext context, string? scheme)
    {
        if (context.GetVerifiedCaller() is { } caller)
        {
            return WorkloadIdentity.DeriveUserKey(caller.Issuer, caller.Subject);
        }

        var user = scheme is null ? context.User : (await context.AuthenticateAsync(scheme).ConfigureAwait(false)).Principal;
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var subject = user.FindFirst("sub") ?? user.FindFirst(ClaimTypes.NameIdentifier);
        return subject is null || string.IsNullOrEmpty(subject.Value) || string.IsNullOrEmpty(subject.Issuer) || subject.Issuer == ClaimsIdentity.DefaultIssuer
            ? null
            : WorkloadIdentity.DeriveUserKey(subject.Issuer, subject.Value);
    }
}
