using System;

namespace IdentityGuard.Consent;

/// <summary>What became of an authorization callback.</summary>
public enum ConsentCallbackStatus
{
    /// <summary>The code was exchanged and the grant stored; waiting requests resume.</summary>
    Completed,

    /// <summary>The user or the authorization server refused; nothing was stored.</summary>
    Denied,

    /// <summary>The callback was refused: unknown, expired or replayed state, a different user's session, or a failed exchange.</summary>
    Rejected,
}

/// <summary>The outcome of an authorization callback, safe to show to the user (no codes, no tokens).</summary>
/// <param name="Status">What happened.</param>
/// <param name="Provider">The provider, when the state was recognised.</param>
/// <param name="Message">A short message for the user.</param>
/// <param name="ReturnUrl">Where to send the browser next: only a registered return URL, or null.</param>
public sealed record ConsentCallbackResult(ConsentCallbackStatus Status, string? Provider, string Message, Uri? ReturnUrl);
