using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace IdentityGuard.Extensions.AI.Tests;

/// <summary>
/// The only fake: the model, the external party. On the first turn it asks for <see cref="ToolName"/>; once it has a
/// tool result it answers. Every request is recorded as the JSON a provider client would send (with relaxed escaping,
/// so a token appears in it as itself).
/// </summary>
internal sealed class RecordingModel(string toolName) : IChatClient
{
    private static readonly JsonSerializerOptions Wire = new(AIJsonUtilities.DefaultOptions) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    public string ToolName { get; } = toolName;

    public List<string> Requests { get; } = [];

    public List<ChatMessage> LastMessages { get; private set; } = [];

    /// <summary>Everything the model was sent, in one string.</summary>
    public string Received => string.Join('\n', Requests);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(Answer(messages, options)));

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        var answer = Answer(messages, options);
        yield return new ChatResponseUpdate(answer.Role, answer.Contents) { MessageId = "m" + Requests.Count };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private ChatMessage Answer(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        LastMessages = messages.ToList();
        Requests.Add(JsonSerializer.Serialize(new { messages = LastMessages, instructions = options?.Instructions }, Wire));
        var hasResult = LastMessages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Any();
        return hasResult
            ? new ChatMessage(ChatRole.Assistant, "Here is your report.")
            : new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", ToolName, new Dictionary<string, object?> { ["region"] = "EMEA" })]);
    }
}
