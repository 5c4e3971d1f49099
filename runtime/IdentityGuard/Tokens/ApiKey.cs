using System;
using System.Text.Json.Serialization;
using IdentityGuard.Manifest;

namespace IdentityGuard.Tokens;

/// <summary>
/// An API key and where it travels. Like every <see cref="SecretValue"/>, the value is never printed or serialized.
/// </summary>
[JsonConverter(typeof(RedactingJsonConverter<ApiKey>))]
public sealed class ApiKey : SecretValue
{
    /// <summary>Creates an API key.</summary>
    public ApiKey(string value, ApiKeyPlacement placement, string parameterName)
        : base(value)
    {
        ArgumentException.ThrowIfNullOrEmpty(parameterName);
        Placement = placement;
        ParameterName = parameterName;
    }

    /// <summary>Where the key travels.</summary>
    public ApiKeyPlacement Placement { get; }

    /// <summary>The header or query parameter name.</summary>
    public string ParameterName { get; }

    /// <summary>A redacted description.</summary>
    public override string ToString() => $"API key [redacted] in {Placement.ToString().ToLowerInvariant()} '{ParameterName}'";
}
