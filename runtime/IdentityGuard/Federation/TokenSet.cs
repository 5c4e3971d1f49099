using IdentityGuard.Tokens;

namespace IdentityGuard.Federation;

/// <summary>
/// What a code exchange or refresh returned: an access token and, perhaps, a (rotated) refresh token and an ID token
/// (which is used only to check who approved a consent, never stored).
/// </summary>
internal sealed class TokenSet
{
    public TokenSet(AccessToken accessToken, string? refreshToken, string? grantedScope, string? idToken = null)
    {
        AccessToken = accessToken;
        RefreshToken = refreshToken;
        GrantedScope = grantedScope;
        IdToken = idToken;
    }

    public string? IdToken { get; }

    public AccessToken AccessToken { get; }

    public string? RefreshToken { get; }

    public string? GrantedScope { get; }

    public override string ToString() => $"TokenSet({AccessToken}, refresh token {(RefreshToken is null ? "none" : "[redacted]")}, ID token {(IdToken is null ? "none" : "[redacted]")})";
}
