using System;
using System.Text.Json.Serialization;
using System.Threading;
using IdentityGuard.Tokens;

namespace IdentityGuard.Workload;

/// <summary>
/// A workload access token: the opaque, short-lived key that binds one workload (agent) to one user and is the only
/// thing that opens that user's entries in the token vault. Issued by <see cref="WorkloadIdentity"/> after the
/// user was authenticated. Like every <see cref="SecretValue"/>, the value is reachable only through
/// <see cref="SecretValue.RevealValue"/>; <see cref="ToString"/>, JSON and the debugger show a redacted form.
/// </summary>
[JsonConverter(typeof(RedactingJsonConverter<WorkloadAccessToken>))]
public sealed class WorkloadAccessToken : SecretValue
{
    // Who this token was validated (or issued) by, and what it proved. The value never changes, so the outcome of
    // decrypting it cannot go stale; only its expiry can, and that is checked on every use.
    private RememberedValidation? _validation;

    // The verified inbound user token this workload token was issued for, kept by reference only inside this process:
    // it is never part of the value, so a token that travels (or is rebuilt from its value) carries none.
    private DelegatedSubject? _delegatedSubject;

    /// <summary>
    /// Wraps a token value, for example one that travelled between two parts of the agent. It is checked only when
    /// <see cref="WorkloadIdentity.Validate"/> sees it.
    /// </summary>
    /// <param name="value">The token value as issued.</param>
    public WorkloadAccessToken(string value)
        : base(value)
    {
    }

    /// <summary>A redacted description; never the value.</summary>
    public override string ToString() => "workload access token [redacted]";

    /// <summary>The principal <paramref name="validator"/> proved for this token, or null when it has not.</summary>
    internal WorkloadPrincipal? RememberedBy(object validator) =>
        Volatile.Read(ref _validation) is { } validation && ReferenceEquals(validation.Validator, validator) ? validation.Principal : null;

    internal void Remember(object validator, WorkloadPrincipal principal) =>
        Volatile.Write(ref _validation, new RememberedValidation(validator, principal));

    /// <summary>The verified inbound user token and its actor chain, when issued by <see cref="WorkloadIdentity.IssueForVerifiedCaller"/>.</summary>
    internal DelegatedSubject? DelegatedSubject
    {
        get => Volatile.Read(ref _delegatedSubject);
        init => _delegatedSubject = value;
    }

    private sealed record RememberedValidation(object Validator, WorkloadPrincipal Principal);
}
