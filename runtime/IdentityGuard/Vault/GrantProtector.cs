using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json;
using IdentityGuard.Tokens;
using Microsoft.AspNetCore.DataProtection;

namespace IdentityGuard.Vault;

/// <summary>
/// Turns a <see cref="Grant"/> into the encrypted blob a store keeps, and back. The Data Protection purpose chain
/// includes workload, user key and provider, so a blob moved to another row (another user, workload or provider)
/// fails authentication instead of decrypting.
/// </summary>
internal sealed class GrantProtector
{
    private const string Purpose = "IdentityGuard.Vault.Grant.v1";
    private readonly IDataProtectionProvider _dataProtection;

    public GrantProtector(IDataProtectionProvider dataProtection)
    {
        _dataProtection = dataProtection;
    }

    public byte[] Protect(GrantKey key, Grant grant)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("p", grant.Provider);
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

    /// <summary>Decrypts a stored grant; throws <see cref="CryptographicException"/> when it does not belong to <paramref name="key"/>.</summary>
    public Grant Unprotect(GrantKey key, StoredGrant stored)
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
            return root.TryGetProperty("iat", out var obtainedAt) ? grant.WithObtainedAt(DateTimeOffset.FromUnixTimeMilliseconds(obtainedAt.GetInt64())) : grant;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
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
