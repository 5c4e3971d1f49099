namespace IdentityGuard.Manifest;

/// <summary>Where an API key travels on an outgoing request.</summary>
public enum ApiKeyPlacement
{
    /// <summary>In a request header (manifest field <c>header</c>).</summary>
    Header,

    /// <summary>In a query-string parameter (manifest field <c>query</c>).</summary>
    Query,
}
