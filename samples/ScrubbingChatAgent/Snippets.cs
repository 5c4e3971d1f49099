using System;
using System.Text.Json.Nodes;
using IdentityGuard.Scrubbing;
using Microsoft.Extensions.AI;

namespace ScrubbingChatAgent;

/// <summary>The code shown in docs/scrubbing.md, compiled with the sample so the documentation cannot drift.</summary>
internal static class Snippets
{
    /// <summary>
    /// A tool handed to a pipeline or framework you do not build (scrubbed where it returns), and text and JSON from
    /// anywhere else (a prompt template, a message from another agent), without Microsoft.Extensions.AI.
    /// </summary>
    public static (AIFunction Tool, string Text, JsonNode? Json) ScrubDirectly(AIFunction tool, CredentialScrubber scrubber, string text, JsonNode json)
    {
        var scrubbedTool = tool.WithCredentialScrubbing(scrubber);

        var cleanText = scrubber.Scrub(text, "tool result get_report");
        var cleanJson = scrubber.Scrub(json, "tool result get_report"); // in place; returns the node to use
        return (scrubbedTool, cleanText, cleanJson);
    }

    /// <summary>A credential the runtime did not hand out, such as a bearer token the agent received.</summary>
    public static void RememberInbound(HeldCredentials held, string bearerToken, DateTimeOffset expiresAt) =>
        held.Remember(bearerToken, "inbound", expiresAt);
}
