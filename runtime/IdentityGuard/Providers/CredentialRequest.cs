using System.Collections.Generic;
using IdentityGuard.Manifest;

namespace IdentityGuard.Providers;

/// <summary>
/// A credential about to be handed out, as a <see cref="CredentialUsePolicy"/> sees it: which provider, and for an
/// OAuth 2.0 provider which of its scopes. Built only while a policy is in force, so it costs nothing otherwise.
/// </summary>
public readonly struct CredentialRequest
{
    private CredentialRequest(string provider, CredentialKind kind, ulong scopeMask, IEnumerable<string>? scopeValues, bool wholeGrant)
    {
        Provider = provider;
        Kind = kind;
        ScopeMask = scopeMask;
        ScopeValues = scopeValues;
        WholeGrant = wholeGrant;
    }

    /// <summary>The provider's name in the manifest.</summary>
    public string Provider { get; }

    /// <summary>An OAuth 2.0 token or an API key.</summary>
    public CredentialKind Kind { get; }

    /// <summary>
    /// The scopes of an OAuth 2.0 token, as bits of the provider's generated scope enum (bit <c>i</c> is the manifest's
    /// scope <c>i</c>); zero asks for the client's default scopes, which the authorization server chooses. Meaningful
    /// only when <see cref="ScopeValues"/> is null and <see cref="WholeGrant"/> is false.
    /// </summary>
    public ulong ScopeMask { get; }

    /// <summary>The scopes by value, when the token is asked for through the vault's or user federation's own methods; otherwise null.</summary>
    public IEnumerable<string>? ScopeValues { get; }

    /// <summary>Whether the user's whole stored grant is read (<see cref="Vault.TokenVault.GetGrantAsync"/>), with every scope it holds.</summary>
    public bool WholeGrant { get; }

    internal static CredentialRequest Token(string provider, ulong scopeMask) => new(provider, CredentialKind.OAuth2, scopeMask, null, wholeGrant: false);

    internal static CredentialRequest Token(string provider, IEnumerable<string> scopeValues) => new(provider, CredentialKind.OAuth2, 0, scopeValues, wholeGrant: false);

    internal static CredentialRequest Grant(string provider) => new(provider, CredentialKind.OAuth2, 0, null, wholeGrant: true);

    internal static CredentialRequest ApiKey(string provider) => new(provider, CredentialKind.ApiKey, 0, null, wholeGrant: false);
}
