using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace ScrubbingChatAgent;

/// <summary>
/// Stands in for the model, the one external party of this sample: on the first turn it asks for the sales tool;
/// given the tool's result it answers. It keeps every request exactly as a provider client would put it on the wire
/// (JSON, with relaxed escaping so that any token appears as itself), which is what a model provider would see.
/// </summary>
public sealed class ScriptedModel(string toolName) : IChatClient
{
    private static readonly JsonSerializerOptions Wire = new(AIJsonUtilities.DefaultOptions)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    private readonly List<string> _requests = [];

    /// <summary>Every request the model received, as JSON.</summary>
    public IReadOnlyList<string> Requests => _requests;

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(Answer(messages)));

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        var answer = Answer(messages);
        yield return new ChatResponseUpdate(answer.Role, answer.Contents);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private ChatMessage Answer(IEnumerable<ChatMessage> messages)
    {
        var list = messages.ToList();
        _requests.Add(JsonSerializer.Serialize(list, Wire));
        var result = list.SelectMany(m => m.Contents).OfType<FunctionResultContent>().LastOrDefault();
        return result is null
            ? new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", toolName)])
            : new ChatMessage(ChatRole.Assistant, "This quarter's sales are in; the report tool answered.");
    }
}
