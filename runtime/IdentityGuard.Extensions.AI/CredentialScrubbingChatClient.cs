using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Scrubbing;
using Microsoft.Extensions.AI;

namespace IdentityGuard.Extensions.AI;

/// <summary>
/// A chat-client layer that scrubs everything sent to the inner client (the model): the text of every message,
/// reasoning and error text, tool results (<see cref="FunctionResultContent"/>) and the instructions. Credentials
/// are replaced by <see cref="CredentialScrubber.Marker"/> and each redaction is audited. Place it between
/// <see cref="FunctionInvokingChatClient"/> and the model, or anywhere with
/// <see cref="IdentityGuardChatClientBuilderExtensions.UseIdentityGuardScrubbing"/>, which also scrubs tool results
/// where tools run. The model's answers are passed through untouched.
/// </summary>
public sealed class CredentialScrubbingChatClient : DelegatingChatClient
{
    private readonly CredentialScrubber _scrubber;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    public CredentialScrubbingChatClient(IChatClient innerClient, CredentialScrubber scrubber)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(scrubber);
        _scrubber = scrubber;
    }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return base.GetResponseAsync(ChatMessageScrubber.Scrub(messages, _scrubber), ChatMessageScrubber.Scrub(options, _scrubber), cancellationToken);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return base.GetStreamingResponseAsync(ChatMessageScrubber.Scrub(messages, _scrubber), ChatMessageScrubber.Scrub(options, _scrubber), cancellationToken);
    }
}
