using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IdentityGuard.Tokens;

/// <summary>
/// Serializes a credential as the string <c>"[redacted]"</c> and refuses to deserialize one. This keeps a token
/// out of JSON even when an agent tool returns an object that holds it by mistake (tool results are serialized
/// for the model).
/// </summary>
/// <typeparam name="T">The credential type.</typeparam>
public sealed class RedactingJsonConverter<T> : JsonConverter<T>
    where T : class
{
    /// <summary>The text written in place of the credential.</summary>
    public const string RedactedText = "[redacted]";

    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new JsonException($"{typeof(T).Name} values cannot be read from JSON: credentials are never serialized.");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(RedactedText);
    }
}
