using IdentityGuard.Authorization;

namespace IdentityGuard.Workload;

/// <summary>
/// What an on-behalf-of exchange needs from the inbound request: the user's verified access token (the
/// <c>subject_token</c>) and the agents already acting for her. It lives only on the in-process
/// <see cref="WorkloadAccessToken"/> object, never in its value, a log or a model's view.
/// </summary>
/// <param name="Token">The verified inbound access token.</param>
/// <param name="Actors">The actor chain the authorizer verified on it (most recent first).</param>
internal sealed record DelegatedSubject(InboundAccessToken Token, ActorChain Actors)
{
    /// <summary>A record prints its members; this one holds a credential (already redacted, but say nothing).</summary>
    public override string ToString() => "delegated subject [redacted]";
}
