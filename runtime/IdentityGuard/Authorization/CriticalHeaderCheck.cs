using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityGuard.Authorization;

/// <summary>
/// RFC 7515 section 4.1.11: a <c>crit</c> header lists extensions the recipient must understand and process, or else
/// refuse the token. <see cref="JsonWebTokenHandler"/> does not enforce it, so an issuer (or anyone who can get a token
/// signed) could attach a restriction that would be silently ignored here.
/// </summary>
internal static class CriticalHeaderCheck
{
    private const string CriticalHeader = "crit";

    // The extensions this authorizer implements, and so may be told are critical: none. A token that depends on one
    // is refused rather than accepted without the restriction it carries.
    private static readonly HashSet<string> Understood = new(StringComparer.Ordinal);

    // Header parameters defined by JWS (RFC 7515) and JWA (RFC 7518); RFC 7515 forbids listing them in crit.
    private static readonly HashSet<string> Registered = new(StringComparer.Ordinal)
    {
        "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
        "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
    };

    private static readonly AuthorizationFailure Malformed = new(
        AuthorizationErrors.InvalidToken, AuthorizationFailureReasons.MalformedToken, "The token's crit header is malformed.");

    private static readonly AuthorizationFailure Unsupported = new(
        AuthorizationErrors.InvalidToken, AuthorizationFailureReasons.UnsupportedCriticalHeader, "The token requires a header extension (crit) that is not supported.");

    /// <summary>Checks the (unverified) header of <paramref name="token"/>.</summary>
    /// <returns>Why the token is refused, or <see langword="null"/> when it has no <c>crit</c> header.</returns>
    public static AuthorizationFailure? Check(JsonWebToken token)
    {
        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedHeader));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            return Malformed;
        }

        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Malformed;
            }

            var present = new HashSet<string>(StringComparer.Ordinal);
            JsonElement? critical = null;
            foreach (var property in header.RootElement.EnumerateObject())
            {
                // A repeated crit is refused outright, so no parser's choice between the copies can matter.
                if (!present.Add(property.Name) && property.NameEquals(CriticalHeader))
                {
                    return Malformed;
                }

                if (property.NameEquals(CriticalHeader))
                {
                    critical = property.Value;
                }
            }

            return critical is { } list ? CheckList(list, present) : null;
        }
    }

    private static AuthorizationFailure? CheckList(JsonElement list, HashSet<string> present)
    {
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            return Malformed;
        }

        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in list.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.String)
            {
                return Malformed;
            }

            var name = entry.GetString()!;
            if (!named.Add(name) || Registered.Contains(name) || !present.Contains(name))
            {
                return Malformed;
            }
        }

        return named.IsSubsetOf(Understood) ? null : Unsupported;
    }
}
