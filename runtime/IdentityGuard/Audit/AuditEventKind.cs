namespace IdentityGuard.Audit;

/// <summary>What happened to a credential.</summary>
public enum AuditEventKind
{
    /// <summary>An authorization server issued a token (any grant).</summary>
    TokenIssued,

    /// <summary>A token was served from the token vault without contacting the authorization server.</summary>
    TokenServedFromVault,

    /// <summary>A token was renewed with a refresh token.</summary>
    TokenRefreshed,

    /// <summary>A user granted consent and the grant was stored.</summary>
    ConsentGranted,

    /// <summary>Consent is needed before a token can be issued; the user was asked.</summary>
    ConsentRequested,

    /// <summary>A request was denied: a token or consent was refused, or a caller failed authorization.</summary>
    Denied,

    /// <summary>A stored grant was revoked and removed.</summary>
    GrantRevoked,

    /// <summary>A workload access token was issued for a user.</summary>
    WorkloadTokenIssued,

    /// <summary>
    /// A credential was removed from text bound for a model (a message or a tool result) by the credential scrubber.
    /// The event names the provider when the value was one the process held; it never carries the value.
    /// </summary>
    CredentialRedacted,

    /// <summary>A signed-in user granted a standing permission (pre-approved consent for background jobs).</summary>
    StandingPermissionGranted,

    /// <summary>A background job used a standing permission: a token was requested within it.</summary>
    StandingPermissionUsed,

    /// <summary>A standing permission was revoked.</summary>
    StandingPermissionRevoked,
}
