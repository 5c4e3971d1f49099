using System;
using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace IdentityGuard.Manifest;

/// <summary>
/// Where a manifest value comes from: a literal (only allowed for non-secret values such as a client id),
/// a configuration key or an environment variable. Secrets are always references, so the manifest never
/// holds a secret value.
/// </summary>
/// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code uses the generated accessors and <c>With&lt;Provider&gt;Token</c>/<c>With&lt;Provider&gt;ApiKey</c> methods instead.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ValueReference : IEquatable<ValueReference>
{
    private ValueReference(ValueSource source, string key)
    {
        Source = source;
        Key = key;
    }

    /// <summary>Where the value is read from.</summary>
    public ValueSource Source { get; }

    /// <summary>The literal value, configuration key or environment variable name, depending on <see cref="Source"/>.</summary>
    public string Key { get; }

    /// <summary>A literal, non-secret value.</summary>
    public static ValueReference Literal(string value) => new(ValueSource.Literal, Require(value, nameof(value)));

    /// <summary>A value read from <see cref="IConfiguration"/> under <paramref name="key"/>.</summary>
    public static ValueReference FromConfiguration(string key) => new(ValueSource.Configuration, Require(key, nameof(key)));

    /// <summary>A value read from the environment variable <paramref name="name"/>.</summary>
    public static ValueReference FromEnvironment(string name) => new(ValueSource.Environment, Require(name, nameof(name)));

    /// <summary>Reads the value; <see langword="null"/> when the referenced setting is absent or empty.</summary>
    public string? Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = Source switch
        {
            ValueSource.Literal => Key,
            ValueSource.Configuration => configuration[Key],
            _ => System.Environment.GetEnvironmentVariable(Key),
        };
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Describes where the value lives, never the value itself unless it is a literal.</summary>
    public override string ToString() => Source switch
    {
        ValueSource.Literal => Key,
        ValueSource.Configuration => $"configuration '{Key}'",
        _ => $"environment variable '{Key}'",
    };

    /// <inheritdoc />
    public bool Equals(ValueReference? other) =>
        other is not null && Source == other.Source && string.Equals(Key, other.Key, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ValueReference);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Source, StringComparer.Ordinal.GetHashCode(Key));

    private static string Require(string value, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        return value;
    }
}

/// <summary>The origin of a <see cref="ValueReference"/>.</summary>
/// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code uses the generated accessors and <c>With&lt;Provider&gt;Token</c>/<c>With&lt;Provider&gt;ApiKey</c> methods instead.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum ValueSource
{
    /// <summary>The value is written in the manifest.</summary>
    Literal,

    /// <summary>The value is read from configuration.</summary>
    Configuration,

    /// <summary>The value is read from an environment variable.</summary>
    Environment,
}
