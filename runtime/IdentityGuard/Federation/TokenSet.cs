using IdentityGuard.Tokens;

namespace IdentityGuard.Federation;

/// <summary>What a code exchange or refresh returned: an access token and, perhaps, a (rotated) refresh token.</summary>
internal sealed class TokenSet
{
    public TokenSet(AccessToken accessToken, string? refreshToken, string? grantedScope)
    {
        AccessToken = accessToken;
        RefreshToken = refreshToken;
        GrantedScope = grantedScope;
    }

    public AccessToken AccessToken { get; }

    public string? RefreshToken { get; }

    public string? GrantedScope { get; }

    public override string ToString() => $"TokenSet({AccessToken}, refresh token {(RefreshToken is null ? "none" : "[redacted]")})";
}
