using System;
using System.Collections.Generic;

namespace IdentityGuard.Consent;

/// <summary>User-federation (authorization code + PKCE) settings, bound from <c>IdentityGuard:Consent</c>.</summary>
public sealed class ConsentOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "IdentityGuard:Consent";

    /// <summary>
    /// The redirect URI registered with the authorization servers: the app's callback endpoint, or the loopback
    /// listener's address for console agents (RFC 8252). Required for user-federation providers.
    /// </summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>
    /// Where the browser may be sent after the callback. A return URL that is not listed here (exact match) is
    /// refused, so the callback cannot be turned into an open redirect.
    /// </summary>
    public IList<Uri> AllowedReturnUrls { get; } = new List<Uri>();

    /// <summary>How long a pending authorization (its <c>state</c>) stays valid. Default ten minutes.</summary>
    public TimeSpan PendingLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a request waits for the user after the consent handler presented the URL. Default five minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether to request <c>offline_access</c> so consent survives restarts (default true: no consent fatigue).</summary>
    public bool RequestOfflineAccess { get; set; } = true;
}
