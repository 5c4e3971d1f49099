using System;
using System.Collections.Generic;
using IdentityGuard.Scrubbing;
using Microsoft.Extensions.AI;

namespace IdentityGuard.Extensions.AI;

/// <summary>
/// Scrubs the messages of one request. Copy on write: a message that holds no credential is passed on as the same
/// instance, and the caller's messages are never modified (they are the application's history).
/// </summary>
internal static class ChatMessageScrubber
{
    public static List<ChatMessage> Scrub(IEnumerable<ChatMessage> messages, CredentialScrubber scrubber)
    {
        var list = new List<ChatMessage>(messages);
        Dictionary<string, string>? toolNames = null;
        for (var i = 0; i < list.Count; i++)
        {
            var message = list[i];
            List<AIContent>? contents = null;
            for (var c = 0; c < message.Contents.Count; c++)
            {
                var content = message.Contents[c];
                var scrubbed = ScrubContent(content, scrubber, message.Role, list, ref toolNames);
                if (!ReferenceEquals(scrubbed, content))
                {
                    contents ??= new List<AIContent>(message.Contents);
                    contents[c] = scrubbed;
                }
            }

            if (contents is not null)
            {
                var copy = message.Clone();
                copy.Contents = contents;

                // A provider client may send the raw representation instead of the contents; it holds the original.
                copy.RawRepresentation = null;
                list[i] = copy;
            }
        }

        return list;
    }

    public static ChatOptions? Scrub(ChatOptions? options, CredentialScrubber scrubber)
    {
        if (options?.Instructions is not { } instructions)
        {
            return options;
        }

        var scrubbed = scrubber.Scrub(instructions, "chat instructions");
        if (ReferenceEquals(scrubbed, instructions))
        {
            return options;
        }

        var copy = options.Clone();
        copy.Instructions = scrubbed;
        copy.RawRepresentationFactory = null;
        return copy;
    }

    private static AIContent ScrubContent(AIContent content, CredentialScrubber scrubber, ChatRole role, List<ChatMessage> messages, ref Dictionary<string, string>? toolNames)
    {
        switch (content)
        {
            case TextContent text:
                var scrubbedText = scrubber.Scrub(text.Text, $"{role} message");
                return ReferenceEquals(scrubbedText, text.Text) ? text : new TextContent(scrubbedText) { AdditionalProperties = text.AdditionalProperties, Annotations = text.Annotations };
            case TextReasoningContent reasoning:
                var scrubbedReasoning = scrubber.Scrub(reasoning.Text, $"{role} reasoning");
                return ReferenceEquals(scrubbedReasoning, reasoning.Text) ? reasoning : new TextReasoningContent(scrubbedReasoning) { AdditionalProperties = reasoning.AdditionalProperties };
            case ErrorContent error:
                var scrubbedError = scrubber.Scrub(error.Message, $"{role} error");
                return ReferenceEquals(scrubbedError, error.Message) ? error : new ErrorContent(scrubbedError) { ErrorCode = error.ErrorCode, AdditionalProperties = error.AdditionalProperties };
            case FunctionResultContent result:
                toolNames ??= ToolNames(messages);
                var origin = "tool result " + (toolNames.TryGetValue(result.CallId, out var name) ? name : result.CallId);
                var scrubbedResult = ToolResultScrubber.Scrub(result.Result, scrubber, options: null, origin);
                return ReferenceEquals(scrubbedResult, result.Result)
                    ? result
                    : new FunctionResultContent(result.CallId, scrubbedResult) { AdditionalProperties = result.AdditionalProperties };
            default:
                return content;
        }
    }

    private static Dictionary<string, string> ToolNames(List<ChatMessage> messages)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent call)
                {
                    names[call.CallId] = call.Name;
                }
            }
        }

        return names;
    }
}
