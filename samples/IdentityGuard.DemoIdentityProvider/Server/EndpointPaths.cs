namespace IdentityGuard.Demo.Server;

/// <summary>The relative paths the demo server serves its OpenIddict endpoints on.</summary>
internal static class EndpointPaths
{
    public const string Token = "connect/token";
    public const string Authorization = "connect/authorize";
    public const string Revocation = "connect/revoke";
    public const string Discovery = ".well-known/openid-configuration";
}
