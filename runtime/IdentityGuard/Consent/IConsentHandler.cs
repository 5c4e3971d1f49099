using System.Threading;
using System.Threading.Tasks;

namespace IdentityGuard.Consent;

/// <summary>
/// How the app puts a consent request in front of its user: a link in the chat UI, a browser window for a console
/// agent, an MCP URL-mode elicitation. When it returns, the runtime waits (up to
/// <see cref="ConsentOptions.Timeout"/>) for the authorization callback and then resumes the request that needed
/// the token. To abandon the wait and surface the request to the caller instead, throw
/// <see cref="ConsentRequiredException"/>. Without a registered handler, the runtime always throws it.
/// </summary>
public interface IConsentHandler
{
    /// <summary>Presents <paramref name="request"/> to its user.</summary>
    ValueTask PresentAsync(ConsentRequest request, CancellationToken cancellationToken);
}
