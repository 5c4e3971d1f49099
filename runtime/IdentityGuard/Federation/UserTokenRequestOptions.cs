namespace IdentityGuard.Federation;

/// <summary>Per-request choices for user-federation tokens.</summary>
public sealed class UserTokenRequestOptions
{
    /// <summary>Ignore the stored grant and ask the user again (<c>prompt=consent</c>), e.g. after a role change.</summary>
    public bool ForceAuthentication { get; init; }

    /// <summary>A hint for the authorization server's login page (e.g. the user's e-mail or subject).</summary>
    public string? LoginHint { get; init; }

    /// <summary>Where to send the user's browser after consent; must be one of <c>ConsentOptions.AllowedReturnUrls</c>.</summary>
    public System.Uri? ReturnUrl { get; init; }
}
