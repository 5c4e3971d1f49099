using System.Collections.Generic;

namespace IdentityGuard.Demo;

/// <summary>
/// What the demo authorization endpoint asks <see cref="DemoIdentityProviderOptions.ConsentDecision"/> about.
/// </summary>
/// <param name="ClientId">The client asking for authorization.</param>
/// <param name="User">The user who would be signed in.</param>
/// <param name="Scopes">The scopes requested.</param>
public sealed record DemoConsentRequest(string ClientId, DemoUser User, IReadOnlyList<string> Scopes);
