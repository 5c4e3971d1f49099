using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json;
using IdentityGuard.Tokens;
using Microsoft.AspNetCore.DataProtection;

namespace IdentityGuard.Vault;

/// <summary>
/// Turns a <see cref="Grant"/> (or the record that it was revoked) into the encrypted blob a store keeps, and back.
/// The Data Protection purpose chain includes workload, user key and provider, so a blob moved to another row
/// (another user, workload or provider) fails authentication instead of decrypting. The payload also carries the
/// version the row gets when the blob is written, authenticated with the rest: a blob written back later, under
/// a newer version, no longer matches its row.
/// </summary>
internal sealed class GrantProtector
{
    private const string Purpose = "IdentityGuard.Vault.Grant.v1";
    private readonly IDataProtectionProvider _dataProtection;

    public GrantProtector(IDataProtectionProvider dataProtection)
    {
        _dataProtection = dataProtection;
    }

    /// <summary>Encrypts <paramref name="grant"/> for the row of <paramref name="key"/> at <paramref name="version"/>.</summary>
    public byte[] Protect(GrantKey key, Grant grant, long version)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("p", grant.Provider);
            writer.WriteNumber("v", version);
            writer.WriteStartArray("s");
            foreach (var scope in grant.Scopes)
            {
                writer.WriteStringValue(scope);
            }

            writer.WriteEndArray();
            writer.WriteString("at", grant.AccessToken.RevealValue());
            writer.WriteString("tt", grant.AccessToken.TokenType);
            writer.WriteNumber("exp", grant.AccessToken.ExpiresAt.ToUnixTimeMilliseconds());
            if (grant.AccessToken.Scope is not null)
            {
                writer.WriteString("as", grant.AccessToken.Scope);
            }

            if (grant.RefreshToken is not null)
            {
                writer.WriteString("rt", grant.RefreshToken.RevealValue());
            }

            if (grant.ObtainedAt is { } obtainedAt)
            {
                writer.WriteNumber("iat", obtainedAt.ToUnixTimeMilliseconds());
            }

            writer.WriteEndObject();
        }

        var plaintext = buffer.ToArray();
        try
        {
            return Protector(key).Protect(plaintext);
        }
        finally
        {
            // The plaintext holds both tokens: best effort not to leave copies for the garbage collector to keep.
            CryptographicOperations.ZeroMemory(plaintext);
            CryptographicOperations.ZeroMemory(buffer.GetBuffer());
        }
    }

    /// <summary>
    /// Encrypts the record that the grant of <paramref name="key"/> was revoked, for its row at
    /// <paramref name="version"/>. Kept instead of deleting the row so that versions keep rising: a revoked grant's
    /// blob written back later carries a lower version than the row, and memory of the revocation's version
    /// refuses the old row even when its version is rewound too.
    /// </summary>
    public byte[] ProtectRevocation(GrantKey key, long version)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("p", key.Provider);
            writer.WriteNumber("v", version);
            writer.WriteBoolean("revoked", true);
            writer.WriteEndObject();
        }

        return Protector(key).Protect(buffer.ToArray());
    }

    /// <summary>
    /// Decrypts a stored blob: a grant, or <see langword="null"/> for a revocation record, with the version the blob
    /// was written for. Throws <see cref="CryptographicException"/> when it does not belong to <paramref name="key"/>
    /// or carries no version (written before versions were authenticated).
    /// </summary>
    public UnprotectedGrant Unprotect(GrantKey key, StoredGrant stored)
    {
        var plaintext = Protector(key).Unprotect(stored.ProtectedData);
        try
        {
            using var document = JsonDocument.Parse(plaintext);
            var root = document.RootElement;
            var provider = root.GetProperty("p").GetString();
            if (!string.Equals(provider, key.Provider, StringComparison.Ordinal))
            {
                throw new CryptographicException("The stored grant belongs to another provider.");
            }

            var version = root.GetProperty("v").GetInt64();
            if (root.TryGetProperty("revoked", out var revoked) && revoked.GetBoolean())
            {
                return new UnprotectedGrant(null, version);
            }

            var scopes = new List<string>();
            foreach (var scope in root.GetProperty("s").EnumerateArray())
            {
                scopes.Add(scope.GetString() ?? string.Empty);
            }

            var accessToken = new AccessToken(
                root.GetProperty("at").GetString()!,
                root.GetProperty("tt").GetString() ?? "Bearer",
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("exp").GetInt64()),
                root.TryGetProperty("as", out var accessScope) ? accessScope.GetString() : null);
            var refreshToken = root.TryGetProperty("rt", out var refresh) && refresh.GetString() is { Length: > 0 } value ? new RefreshToken(value) : null;
            var grant = new Grant(key.Provider, scopes, accessToken, refreshToken).WithVersion(stored.Version);
            return new UnprotectedGrant(root.TryGetProperty("iat", out var obtainedAt) ? grant.WithObtainedAt(DateTimeOffset.FromUnixTimeMilliseconds(obtainedAt.GetInt64())) : grant, version);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new CryptographicException("The stored grant is not readable.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private IDataProtector Protector(GrantKey key) =>
        _dataProtection.CreateProtector(Purpose, key.Workload, key.UserKey, key.Provider);
}

/// <summary>A decrypted blob: the grant (null for a revocation record) and the version it was written for.</summary>
internal readonly record struct UnprotectedGrant(Grant? Grant, long Version);
