using System;
using System.Diagnostics;
using System.Text.Json.Serialization;
using IdentityGuard.Manifest;

namespace IdentityGuard.Tokens;

/// <summary>An API key and where it travels. Like <see cref="AccessToken"/>, the value is never printed or serialized.</summary>
[JsonConverter(typeof(RedactingJsonConverter<ApiKey>))]
[DebuggerDisplay("{ToString(),nq}")]
public sealed class ApiKey
{
    private readonly string _value;

    /// <summary>Creates an API key.</summary>
    public ApiKey(string value, ApiKeyPlacement placement, string parameterName)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        ArgumentException.ThrowIfNullOrEmpty(parameterName);
        _value = value;
        Placement = placement;
        ParameterName = parameterName;
    }

    /// <summary>Where the key travels.</summary>
    public ApiKeyPlacement Placement { get; }

    /// <summary>The header or query parameter name.</summary>
    public string ParameterName { get; }

    /// <summary>Returns the secret key. Never log it, return it to a model or store it.</summary>
    public string RevealValue() => _value;

    /// <summary>A redacted description.</summary>
    public override string ToString() => $"API key [redacted] in {Placement.ToString().ToLowerInvariant()} '{ParameterName}'";
}
