using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IdentityGuard.Audit;
using IdentityGuard.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace IdentityGuard.Workload;

/// <summary>
/// The agent's workload identity. It issues <see cref="WorkloadAccessToken"/>s that bind this workload to one
/// user, and validates them. A token is a Data Protection payload (workload, user key, expiry, random id)
/// encrypted and authenticated under a purpose that includes the workload name, so a token issued for another
/// workload cannot even be decrypted here, and any change to it is detected.
/// </summary>
public sealed class WorkloadIdentity
{
    /// <summary>The prefix of every workload access token, so that scanners and people can recognize one.</summary>
    public const string TokenPrefix = "igw1.";

    private const string Purpose = "IdentityGuard.Workload.AccessToken.v1";
    private const string VerifiedUserKeyPrefix = "idp.";

    private readonly IDataProtector _protector;
    private readonly WorkloadIdentityOptions _options;
    private readonly AuditLog _audit;
    private readonly TimeProvider _time;

    /// <summary>Creates the workload identity.</summary>
    /// <param name="options">The workload name and token lifetimes.</param>
    /// <param name="dataProtection">Protects the tokens; every instance of the workload must share its keys.</param>
    /// <param name="audit">Receives <see cref="AuditEventKind.WorkloadTokenIssued"/> and denials.</param>
    /// <param name="time">The clock that decides expiry.</param>
    public WorkloadIdentity(IOptions<WorkloadIdentityOptions> options, IDataProtectionProvider dataProtection, AuditLog audit, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataProtection);
        ArgumentNullException.ThrowIfNull(audit);
        _options = options.Value;
        if (string.IsNullOrWhiteSpace(_options.WorkloadName))
        {
            throw new OptionsValidationException(nameof(WorkloadIdentityOptions.WorkloadName), typeof(WorkloadIdentityOptions), ["The workload name is required (IdentityGuard:Workload)."]);
        }

        if (_options.DefaultLifetime <= TimeSpan.Zero || _options.MaxLifetime < _options.DefaultLifetime)
        {
            throw new OptionsValidationException(nameof(WorkloadIdentityOptions.DefaultLifetime), typeof(WorkloadIdentityOptions), ["The default workload token lifetime must be positive and not longer than the maximum lifetime."]);
        }

        // The workload name is part of the purpose chain: Data Protection derives a distinct key per purpose, so
        // another workload's tokens fail authentication here instead of merely failing a name comparison.
        _protector = dataProtection.CreateProtector(Purpose, _options.WorkloadName);
        _audit = audit;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The workload name this identity issues and accepts tokens for.</summary>
    public string WorkloadName => _options.WorkloadName;

    /// <summary>
    /// Derives the stable user key for a user authenticated by an identity provider. The key is a hash of issuer
    /// and subject, so the same subject at two identity providers gives two different users, and the vault stores
    /// no personal data in its keys.
    /// </summary>
    /// <param name="issuer">The <c>iss</c> of the verified user token.</param>
    /// <param name="subject">The <c>sub</c> of the verified user token.</param>
    public static string DeriveUserKey(string issuer, string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentException.ThrowIfNullOrEmpty(subject);

        // Length-prefixed so that ("ab", "c") and ("a", "bc") cannot collide.
        var issuerBytes = Encoding.UTF8.GetBytes(issuer);
        var subjectBytes = Encoding.UTF8.GetBytes(subject);
        var buffer = new byte[4 + issuerBytes.Length + subjectBytes.Length];
        BinaryPrimitives.WriteInt32BigEndian(buffer, issuerBytes.Length);
        issuerBytes.CopyTo(buffer, 4);
        subjectBytes.CopyTo(buffer, 4 + issuerBytes.Length);
        return VerifiedUserKeyPrefix + Base64UrlEncode(SHA256.HashData(buffer));
    }

    /// <summary>
    /// Issues a token for a user whose inbound token was verified (signature, issuer, audience, lifetime) by the
    /// caller. Call it only after that verification: whoever holds the result can use this user's grants.
    /// </summary>
    /// <param name="issuer">The verified token's issuer.</param>
    /// <param name="subject">The verified token's subject.</param>
    /// <param name="lifetime">How long the token is accepted; <see cref="WorkloadIdentityOptions.DefaultLifetime"/> when omitted.</param>
    public WorkloadAccessToken IssueForVerifiedUser(string issuer, string subject, TimeSpan? lifetime = null) =>
        Issue(DeriveUserKey(issuer, subject), issuer, lifetime, delegatedSubject: null);

    /// <summary>
    /// Issues a token for the caller the <see cref="JwtAuthorizer"/> verified. Besides binding the user, the returned
    /// object carries the caller's verified access token and actor chain inside this process, so on-behalf-of providers
    /// (RFC 8693 token exchange) can use it as the <c>subject_token</c> without agent code handling it. The value of the
    /// token does not contain it: a copy made from <c>RevealValue()</c> cannot exchange.
    /// </summary>
    /// <param name="caller">The verified caller.</param>
    /// <param name="lifetime">How long the token is accepted; <see cref="WorkloadIdentityOptions.DefaultLifetime"/> when omitted.</param>
    public WorkloadAccessToken IssueForVerifiedCaller(VerifiedCaller caller, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Issue(DeriveUserKey(caller.Issuer, caller.Subject), caller.Issuer, lifetime, new DelegatedSubject(caller.Token, caller.Actors, caller.ClientId));
    }

    /// <summary>
    /// Issues a token for a user key the caller vouches for, with nothing checked. Not public: a background job gets a
    /// token only through <see cref="Background.StandingPermissions.IssueForBackgroundJobAsync"/>, within a permission
    /// the user granted while signed in.
    /// </summary>
    /// <param name="userId">The user key.</param>
    /// <param name="lifetime">How long the token is accepted; <see cref="WorkloadIdentityOptions.DefaultLifetime"/> when omitted.</param>
    internal WorkloadAccessToken IssueForTrustedUser(string userId, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return Issue(userId, issuer: null, lifetime, delegatedSubject: null);
    }

    /// <summary>
    /// Issues a token that acts for <paramref name="userKey"/> only under her standing permission for
    /// <paramref name="provider"/>: user federation checks that permission (and its scopes) again on every use.
    /// </summary>
    internal WorkloadAccessToken IssueForStandingPermission(string userKey, string? issuer, string provider, TimeSpan lifetime) =>
        Issue(userKey, issuer, lifetime, delegatedSubject: null, standingPermissionProvider: provider);

    /// <summary>
    /// Validates <paramref name="token"/> and returns whom it binds. Throws
    /// <see cref="WorkloadAccessTokenException"/> when it is malformed, altered, expired or not for this workload.
    /// A token object this identity issued or already validated is not decrypted again (its value cannot change);
    /// its expiry is checked on every call.
    /// </summary>
    /// <param name="token">The token to check.</param>
    public WorkloadPrincipal Validate(WorkloadAccessToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (TryGetRemembered(token, out var remembered))
        {
            return remembered;
        }

        try
        {
            var principal = ValidateCore(token.RevealValue());
            token.Remember(_protector, principal);
            return principal;
        }
        catch (WorkloadAccessTokenException ex)
        {
            _audit.Record(AuditEventKind.Denied, _options.WorkloadName, null, null, null, "workload_token_" + ex.Failure.ToString().ToLowerInvariant());
            throw;
        }
    }

    /// <summary>
    /// The principal of a token this identity issued or validated before, if it has not expired; no decryption, no
    /// audit. False sends the caller to <see cref="Validate"/>, which reports an expired token as such.
    /// </summary>
    internal bool TryGetRemembered(WorkloadAccessToken token, [NotNullWhen(true)] out WorkloadPrincipal? principal)
    {
        // Keyed on this identity's protector: a token remembered by another workload (or another key ring) is
        // decrypted here as if new.
        if (token.RememberedBy(_protector) is { } remembered && _time.GetUtcNow() < remembered.ExpiresAt)
        {
            principal = remembered;
            return true;
        }

        principal = null;
        return false;
    }

    private WorkloadAccessToken Issue(string userKey, string? issuer, TimeSpan? lifetime, DelegatedSubject? delegatedSubject, string? standingPermissionProvider = null)
    {
        var validFor = lifetime ?? _options.DefaultLifetime;
        if (validFor <= TimeSpan.Zero || validFor > _options.MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), validFor, $"A workload access token lifetime must be positive and at most {_options.MaxLifetime}.");
        }

        var expiresAt = _time.GetUtcNow() + validFor;
        var tokenId = Base64UrlEncode(RandomNumberGenerator.GetBytes(16));

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("w", _options.WorkloadName);
            writer.WriteString("u", userKey);
            writer.WriteNumber("exp", expiresAt.ToUnixTimeMilliseconds());
            writer.WriteString("jti", tokenId);
            if (issuer is not null)
            {
                // Who verified the user: lets consent recognise the same user in the provider's ID token.
                writer.WriteString("i", issuer);
            }

            if (standingPermissionProvider is not null)
            {
                // Part of the protected payload, so a copy of the value is as restricted as the original.
                writer.WriteString("sp", standingPermissionProvider);
            }

            writer.WriteEndObject();
        }

        var token = new WorkloadAccessToken(TokenPrefix + Base64UrlEncode(_protector.Protect(buffer.ToArray()))) { DelegatedSubject = delegatedSubject };

        // The issuer knows what the token proves: remembering it spares the first decryption (a request's first
        // vault call) as well as later ones.
        token.Remember(_protector, new WorkloadPrincipal(_options.WorkloadName, userKey, DateTimeOffset.FromUnixTimeMilliseconds(expiresAt.ToUnixTimeMilliseconds()), tokenId, issuer)
        {
            StandingPermissionProvider = standingPermissionProvider,
        });
        _audit.Record(AuditEventKind.WorkloadTokenIssued, _options.WorkloadName, userKey, null, null, null, delegatedSubject?.Actors);
        return token;
    }

    private WorkloadPrincipal ValidateCore(string value)
    {
        if (!value.StartsWith(TokenPrefix, StringComparison.Ordinal) || !TryBase64UrlDecode(value.AsSpan(TokenPrefix.Length), out var protectedBytes))
        {
            throw new WorkloadAccessTokenException(WorkloadAccessTokenFailure.Malformed, "The value is not a workload access token.");
        }

        byte[] payload;
        try
        {
            payload = _protector.Unprotect(protectedBytes);
        }
        catch (CryptographicException ex)
        {
            throw new WorkloadAccessTokenException(
                WorkloadAccessTokenFailure.Invalid,
                $"The workload access token could not be verified for workload '{_options.WorkloadName}': it was altered, issued for another workload, or protected with an unknown key.",
                ex);
        }

        string? workload, userKey, tokenId, issuer, standingPermissionProvider;
        long expiresAtMs;
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            workload = root.GetProperty("w").GetString();
            userKey = root.GetProperty("u").GetString();
            expiresAtMs = root.GetProperty("exp").GetInt64();
            tokenId = root.GetProperty("jti").GetString();
            issuer = root.TryGetProperty("i", out var verifiedBy) ? verifiedBy.GetString() : null;
            standingPermissionProvider = root.TryGetProperty("sp", out var permitted) ? permitted.GetString() : null;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // Authenticated but unreadable: only a bug or a future format can get here, never an attacker.
            throw new WorkloadAccessTokenException(WorkloadAccessTokenFailure.Malformed, "The workload access token payload is not readable.", ex);
        }

        if (string.IsNullOrEmpty(workload) || string.IsNullOrEmpty(userKey) || string.IsNullOrEmpty(tokenId))
        {
            throw new WorkloadAccessTokenException(WorkloadAccessTokenFailure.Malformed, "The workload access token payload is incomplete.");
        }

        // Defence in depth: the purpose already ties the token to the workload.
        if (!string.Equals(workload, _options.WorkloadName, StringComparison.Ordinal))
        {
            throw new WorkloadAccessTokenException(WorkloadAccessTokenFailure.WrongWorkload, $"The workload access token was issued for another workload, not '{_options.WorkloadName}'.");
        }

        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(expiresAtMs);
        if (_time.GetUtcNow() >= expiresAt)
        {
            throw new WorkloadAccessTokenException(WorkloadAccessTokenFailure.Expired, $"The workload access token expired at {expiresAt:O}.");
        }

        return new WorkloadPrincipal(workload, userKey, expiresAt, tokenId, issuer) { StandingPermissionProvider = standingPermissionProvider };
    }

    internal static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryBase64UrlDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.IsEmpty)
        {
            return false;
        }

        var padded = new StringBuilder(text.Length + 3);
        foreach (var c in text)
        {
            padded.Append(c switch { '-' => '+', '_' => '/', _ => c });
        }

        padded.Append('=', (4 - (text.Length % 4)) % 4);
        var buffer = new byte[padded.Length];
        if (!Convert.TryFromBase64String(padded.ToString(), buffer, out var written))
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}
