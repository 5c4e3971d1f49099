namespace IdentityGuard.Mcp;

/// <summary>What a tool that declares no credential (no <c>ActsWith</c> or <c>ActsWithApiKey</c>) may use while it runs.</summary>
public enum ToolCredentialDefault
{
    /// <summary>No credential of any provider (the default): a tool uses only what it declares.</summary>
    NoCredentials = 0,

    /// <summary>
    /// Any credential, as before declarations were enforced: an opt-out for servers whose tools are not declared yet.
    /// Tools that declare something stay held to their declarations.
    /// </summary>
    AnyCredential = 1,
}
