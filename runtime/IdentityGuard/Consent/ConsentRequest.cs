using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using IdentityGuard.Tokens;

namespace IdentityGuard.Consent;

/// <summary>
/// A user must approve access before the agent can act for them: which provider, which scopes, and the
/// authorization URL the user opens. The URL is single-use and bound to the user's pending request. Show it to
/// that user only; it is not a credential, but it must not be handed to another user or a model.
/// </summary>
public sealed class ConsentRequest
{
    /// <summary>Creates a consent request.</summary>
    public ConsentRequest(string workload, string user, string provider, IReadOnlyList<string> scopes, IReadOnlyList<string> requestedScopes, Uri authorizationUrl, DateTimeOffset expiresAt)
    {
        Workload = workload;
        User = user;
        Provider = provider;
        Scopes = scopes;
        RequestedScopes = requestedScopes;
        AuthorizationUrl = authorizationUrl;
        ExpiresAt = expiresAt;
    }

    /// <summary>The workload asking.</summary>
    public string Workload { get; }

    /// <summary>The user whose consent is needed (the workload access token's user key).</summary>
    public string User { get; }

    /// <summary>The credential provider.</summary>
    public string Provider { get; }

    /// <summary>The scopes the user is asked to approve now: only those not already granted (incremental consent).</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>Every scope in the authorization request: the ones already granted plus <see cref="Scopes"/>.</summary>
    public IReadOnlyList<string> RequestedScopes { get; }

    /// <summary>
    /// The URL the user opens to approve. It carries the single-use <c>state</c> and the PKCE challenge, so JSON
    /// serialization of this object writes it redacted; send it to the user deliberately (for example with
    /// <c>ConsentRequiredResponse</c> in IdentityGuard.AspNetCore).
    /// </summary>
    [JsonConverter(typeof(RedactingJsonConverter<Uri>))]
    public Uri AuthorizationUrl { get; }

    /// <summary>When the pending request expires; the URL is useless afterwards.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Describes the request without the URL, so a log line cannot leak the <c>state</c>.</summary>
    public override string ToString() => $"Consent for provider {Provider}, scopes [{string.Join(' ', Scopes)}], user {User}";
}
