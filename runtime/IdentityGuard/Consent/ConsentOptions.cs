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

    /// <summary>
    /// How often a request waiting for consent looks in the store for an outcome recorded by another instance of the
    /// agent, when the callback reached that instance (default one second). A callback that reaches the waiting
    /// instance itself wakes the request at once.
    /// </summary>
    public TimeSpan CompletionPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many consent requests one user may have waiting for an answer (default 20). A new request beyond it
    /// drops that user's oldest, whose link then no longer works.
    /// </summary>
    public int MaxPendingPerUser { get; set; } = 20;

    /// <summary>
    /// How many consent requests the whole agent may have waiting for an answer (default 10,000). Beyond it new
    /// requests fail with <see cref="TooManyConsentRequestsException"/> until some complete or expire.
    /// </summary>
    public int MaxPendingPerWorkload { get; set; } = 10_000;

    /// <summary>
    /// Whether a consent may only be completed by the user who started it (default <see langword="true"/>). The
    /// callback must prove who approved: the provider's ID token names the same user at the same identity provider
    /// that verified the user's inbound token, or the browser that delivers the callback is signed in to the app as
    /// that user. A callback that proves neither is refused. Setting this to <see langword="false"/> is an explicit
    /// opt-out for providers that can do neither; then a forwarded authorization link can be approved by anyone who
    /// holds it, and the agent would act for the wrong person. Evidence that names another user is refused either way.
    /// </summary>
    public bool RequireSessionBinding { get; set; } = true;

    /// <summary>
    /// The authentication scheme of the app's own browser sign-in (for example a cookie scheme), which the ASP.NET
    /// Core callback endpoint authenticates to learn who approved. When unset, the request's default authentication
    /// result (<c>HttpContext.User</c>) is used.
    /// </summary>
    public string? SignInScheme { get; set; }

    /// <summary>
    /// How the provider returns the authorization response: <see cref="ConsentResponseMode.Query"/> (default) puts
    /// <c>code</c> and <c>state</c> in the callback URL, where web server request logs see them;
    /// <see cref="ConsentResponseMode.FormPost"/> asks for <c>response_mode=form_post</c>, so they travel in a POST
    /// body instead. Choose form_post when the provider supports it and the callback proves the user with the
    /// provider's ID token: a cross-site POST carries no <c>SameSite=Lax</c> cookie, so the app's cookie sign-in is not
    /// seen by the callback.
    /// </summary>
    public ConsentResponseMode ResponseMode { get; set; } = ConsentResponseMode.Query;

    /// <summary>Whether to request <c>offline_access</c> so consent survives restarts (default true: no consent fatigue).</summary>
    public bool RequestOfflineAccess { get; set; } = true;
}

/// <summary>How the authorization response reaches the callback (OAuth 2.0 Multiple Response Type Encoding, Form Post Response Mode).</summary>
public enum ConsentResponseMode
{
    /// <summary>In the query string of a redirect (the default of <c>response_type=code</c>).</summary>
    Query,

    /// <summary>In the body of a POST the provider's page makes the browser send (<c>response_mode=form_post</c>).</summary>
    FormPost,
}
