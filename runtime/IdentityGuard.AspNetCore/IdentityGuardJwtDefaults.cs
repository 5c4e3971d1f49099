namespace IdentityGuard.AspNetCore;

/// <summary>Default values of the IdentityGuard JWT authentication scheme.</summary>
public static class IdentityGuardJwtDefaults
{
    /// <summary>The default scheme name, <c>IdentityGuard</c>.</summary>
    public const string AuthenticationScheme = "IdentityGuard";
}
