using IdentityGuard.Authorization;

namespace IdentityGuard.Workload;

/// <summary>
/// What an on-behalf-of exchange needs from the inbound request: the user's verified access token (the
/// <c>subject_token</c>) and the agents already acting for her. It lives only on the in-process
/// <see cref="WorkloadAccessToken"/> object, never in its value, a log or a model's view.
/// </summary>
/// <param name="Token">The verified inbound access token.</param>
/// <param name="Actors">The actor chain the authorizer verified on it (most recent first).</param>
/// <param name="ClientId">The application the inbound token was issued to (<c>client_id</c> or <c>azp</c>), if it names one.</param>
internal sealed record DelegatedSubject(InboundAccessToken Token, ActorChain Actors, string? ClientId = null)
{
    /// <summary>A record prints its members; this one holds a credential (already redacted, but say nothing).</summary>
    public override string ToString() => "delegated subject [redacted]";
}
