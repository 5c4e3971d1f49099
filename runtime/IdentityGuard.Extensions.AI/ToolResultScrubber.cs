using System;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityGuard.Scrubbing;
using Microsoft.Extensions.AI;

namespace IdentityGuard.Extensions.AI;

/// <summary>
/// Scrubs a tool's result, whatever its type: text and JSON directly, any other object through the JSON a model
/// client would send for it (serialized with the tool's own options, so the scrubber sees exactly what would leave).
/// </summary>
internal static class ToolResultScrubber
{
    /// <summary>The result to hand on: <paramref name="result"/> itself when it holds no credential.</summary>
    public static object? Scrub(object? result, CredentialScrubber scrubber, JsonSerializerOptions? options, string origin)
    {
        switch (result)
        {
            case null:
                return null;
            case string text:
                return scrubber.Scrub(text, origin);
            case JsonElement element:
                return scrubber.TryScrub(element, out var scrubbedElement, origin) ? scrubbedElement : result;
            case JsonNode node:
                // Not in place: the node may be shared with the application.
                return scrubber.Scrub(node.DeepClone(), origin);
            case TextContent content:
                var scrubbedText = scrubber.Scrub(content.Text, origin);
                return ReferenceEquals(scrubbedText, content.Text) ? content : new TextContent(scrubbedText) { AdditionalProperties = content.AdditionalProperties };
            case bool or int or long or double or decimal or float or short or byte or Guid or DateTime or DateTimeOffset or Enum:
                // Values that cannot spell a credential.
                return result;
            default:
                var serialized = JsonSerializer.SerializeToElement(result, (options ?? AIJsonUtilities.DefaultOptions).GetTypeInfo(result.GetType()));
                return scrubber.TryScrub(serialized, out var scrubbed, origin) ? scrubbed : result;
        }
    }
}
