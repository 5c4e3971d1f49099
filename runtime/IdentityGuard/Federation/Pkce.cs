using System;
using System.Security.Cryptography;
using System.Text;
using Duende.IdentityModel;

namespace IdentityGuard.Federation;

/// <summary>PKCE (RFC 7636) with the S256 method only: "plain" gives no protection if the URL leaks.</summary>
internal static class Pkce
{
    public const string Method = OidcConstants.CodeChallengeMethods.Sha256;

    /// <summary>A 43-character verifier from 32 random bytes (the RFC's recommended entropy).</summary>
    public static string CreateVerifier() => CryptoRandom.CreateUniqueId(32, CryptoRandom.OutputFormat.Base64Url);

    public static string ChallengeFor(string verifier)
    {
        // base64url without padding (RFC 7636 §4.2); spelled out because net8.0 has no Base64Url type.
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(verifier));
        return Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The <c>state</c> value: 32 random bytes, unguessable, single use.</summary>
    public static string CreateState() => CryptoRandom.CreateUniqueId(32, CryptoRandom.OutputFormat.Base64Url);
}
