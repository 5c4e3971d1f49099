namespace IdentityGuard.Authorization;

/// <summary>Whether an API accepts tokens that carry an actor chain (<c>act</c>, RFC 8693), see <see cref="JwtAuthorizerOptions.ActorRequirement"/>.</summary>
public enum ActorRequirement
{
    /// <summary>Tokens with or without an actor are accepted (the other actor rules still apply to a chain).</summary>
    Allowed,

    /// <summary>Only delegated tokens: the caller must be an agent acting for the subject.</summary>
    Required,

    /// <summary>Only the subject itself: a token naming any actor is refused.</summary>
    Refused,
}
