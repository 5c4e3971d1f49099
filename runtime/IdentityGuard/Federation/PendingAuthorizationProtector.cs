using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json;
using IdentityGuard.Workload;
using Microsoft.AspNetCore.DataProtection;

namespace IdentityGuard.Federation;

/// <summary>
/// Turns a <see cref="PendingAuthorization"/> into the encrypted record a store keeps, and back. It holds the PKCE
/// verifier and the user's workload access token, so it is a Data Protection payload whose purpose chain includes
/// the workload and the <c>state</c> itself: the store keeps only a hash of the state, so neither a database reader
/// nor someone who moves a record to another row can decrypt it without the state the user's browser carries.
/// </summary>
internal sealed class PendingAuthorizationProtector
{
    private const string Purpose = "IdentityGuard.Federation.PendingAuthorization.v1";
    private readonly IDataProtectionProvider _dataProtection;

    public PendingAuthorizationProtector(IDataProtectionProvider dataProtection) => _dataProtection = dataProtection;

    public byte[] Protect(string storeWorkload, PendingAuthorization pending)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("w", pending.Workload);
            writer.WriteString("u", pending.UserKey);
            writer.WriteString("p", pending.Provider);
            WriteArray(writer, "rs", pending.RequestedScopes);
            WriteArray(writer, "ms", pending.MissingScopes);
            writer.WriteString("cv", pending.CodeVerifier);
            writer.WriteString("ru", pending.RedirectUri.AbsoluteUri);
            if (pending.ReturnUrl is not null)
            {
                writer.WriteString("rt", pending.ReturnUrl.AbsoluteUri);
            }

            writer.WriteNumber("iat", pending.CreatedAt.ToUnixTimeMilliseconds());
            writer.WriteNumber("exp", pending.ExpiresAt.ToUnixTimeMilliseconds());
            writer.WriteString("wat", pending.WorkloadToken.RevealValue());
            if (pending.UserIssuer is not null)
            {
                writer.WriteString("iss", pending.UserIssuer);
            }

            if (pending.Nonce is not null)
            {
                writer.WriteString("n", pending.Nonce);
            }

            writer.WriteBoolean("aw", pending.Awaited);
            writer.WriteEndObject();
        }

        var plaintext = buffer.ToArray();
        try
        {
            return Protector(storeWorkload, pending.State).Protect(plaintext);
        }
        finally
        {
            // The plaintext holds the verifier and the workload access token.
            CryptographicOperations.ZeroMemory(plaintext);
            CryptographicOperations.ZeroMemory(buffer.GetBuffer());
        }
    }

    /// <summary>Decrypts a stored record; throws <see cref="CryptographicException"/> when it was not made for this state.</summary>
    public PendingAuthorization Unprotect(string storeWorkload, string state, byte[] protectedData)
    {
        var plaintext = Protector(storeWorkload, state).Unprotect(protectedData);
        try
        {
            using var document = JsonDocument.Parse(plaintext);
            var root = document.RootElement;
            return new PendingAuthorization(
                state,
                Required(root, "w"),
                Required(root, "u"),
                Required(root, "p"),
                ReadArray(root, "rs"),
                ReadArray(root, "ms"),
                Required(root, "cv"),
                new Uri(Required(root, "ru"), UriKind.Absolute),
                root.TryGetProperty("rt", out var returnUrl) ? new Uri(returnUrl.GetString()!, UriKind.Absolute) : null,
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("iat").GetInt64()),
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("exp").GetInt64()),
                new WorkloadAccessToken(Required(root, "wat")),
                root.TryGetProperty("iss", out var issuer) ? issuer.GetString() : null,
                root.TryGetProperty("n", out var nonce) ? nonce.GetString() : null,
                root.GetProperty("aw").GetBoolean());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or UriFormatException)
        {
            throw new CryptographicException("The stored pending authorization is not readable.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static string Required(JsonElement root, string name) =>
        root.GetProperty(name).GetString() is { Length: > 0 } value ? value : throw new JsonException($"'{name}' is empty.");

    private static void WriteArray(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static string[] ReadArray(JsonElement root, string name)
    {
        var values = new List<string>();
        foreach (var value in root.GetProperty(name).EnumerateArray())
        {
            values.Add(value.GetString() ?? string.Empty);
        }

        return values.ToArray();
    }

    private IDataProtector Protector(string storeWorkload, string state) =>
        _dataProtection.CreateProtector(Purpose, storeWorkload, state);
}
