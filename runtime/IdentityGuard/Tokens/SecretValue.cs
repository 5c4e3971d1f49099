using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace IdentityGuard.Tokens;

/// <summary>
/// The one base of IdentityGuard's secret values: <see cref="AccessToken"/>, <see cref="ApiKey"/>,
/// <see cref="Vault.RefreshToken"/>, <see cref="Workload.WorkloadAccessToken"/> and
/// <see cref="Authorization.InboundAccessToken"/>. It holds the value and is the only place that gives it out
/// (<see cref="RevealValue"/>, a method rather than a property so that serializers, structured loggers and debugger
/// property views never pick it up). Every other way a value can be shown prints a redacted description instead:
/// <see cref="ToString"/> (and so string interpolation and log message templates), JSON serialization and the
/// debugger's display.
/// </summary>
/// <remarks>
/// The constructor is not visible outside IdentityGuard, so the set of secret types is closed: a type cannot claim
/// to be a secret value without these guarantees. The types keep reference equality; compare two values with their
/// constant-time <c>HasSameValue</c>, never with the revealed strings.
/// </remarks>
[JsonConverter(typeof(RedactingJsonConverter<SecretValue>))]
[DebuggerDisplay("{ToString(),nq}")]
public abstract class SecretValue
{
    // Hidden from the debugger's expanded view too: the display string is redacted, and so must the fields be.
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly string _value;

    /// <summary>Wraps a secret value.</summary>
    /// <param name="value">The value; empty is refused, since an empty credential only ever fails later and farther away.</param>
    private protected SecretValue(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary>
    /// Returns the secret value. Call it only to hand the value to the transport or component that needs it; never
    /// log it, return it to a model or store it. The IdentityGuard analyzers treat the result as a credential.
    /// </summary>
    /// <returns>The secret value.</returns>
    public string RevealValue() => _value;

    /// <summary>A redacted description of the value (its kind and non-secret metadata), never the value itself.</summary>
    /// <returns>The description.</returns>
    public abstract override string ToString();

    /// <summary>Whether <paramref name="other"/> holds the same value, compared in constant time.</summary>
    private protected bool HasSameValueAs(SecretValue? other) =>
        other is not null &&
        CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(_value.AsSpan()), MemoryMarshal.AsBytes(other._value.AsSpan()));
}
