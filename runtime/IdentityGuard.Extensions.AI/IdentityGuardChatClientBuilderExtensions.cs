using System;
using System.Runtime.CompilerServices;
using IdentityGuard.Extensions.AI;
using IdentityGuard.Scrubbing;

#pragma warning disable IDE0130 // Builder extensions live in the builder's namespace, where M.E.AI's own are found.
namespace Microsoft.Extensions.AI;
#pragma warning restore IDE0130

/// <summary>Adds IdentityGuard's credential scrubbing to Microsoft.Extensions.AI pipelines and tools.</summary>
public static class IdentityGuardChatClientBuilderExtensions
{
    // Function-invoking clients whose invoker already scrubs, so building twice never wraps twice.
    private static readonly ConditionalWeakTable<FunctionInvokingChatClient, CredentialScrubber> s_scrubbing = [];

    /// <summary>
    /// Adds a <see cref="CredentialScrubbingChatClient"/> at this point of the pipeline, and makes every
    /// <see cref="FunctionInvokingChatClient"/> below it scrub tool results where tools run, so a result is clean even
    /// if another client sits between the tool and this layer. Order-independent: put it after
    /// <c>UseFunctionInvocation()</c> (closest to the model, the usual place) or before it.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="scrubber">The scrubber; by default the one <c>AddIdentityGuard</c> registered.</param>
    public static ChatClientBuilder UseIdentityGuardScrubbing(this ChatClientBuilder builder, CredentialScrubber? scrubber = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var resolved = scrubber
                ?? services.GetService(typeof(CredentialScrubber)) as CredentialScrubber
                ?? throw new InvalidOperationException("No CredentialScrubber is registered: call AddIdentityGuard (or AddIdentityGuardRuntime) on the services passed to ChatClientBuilder.Build, or pass a scrubber to UseIdentityGuardScrubbing.");
            if (inner.GetService<FunctionInvokingChatClient>() is { } invoking)
            {
                invoking.ScrubFunctionResults(resolved);
            }

            return new CredentialScrubbingChatClient(inner, resolved);
        });
    }

    /// <summary>
    /// Makes <paramref name="client"/> scrub each tool's result as soon as the tool returns, whichever invoker
    /// (<see cref="FunctionInvokingChatClient.FunctionInvoker"/>) was set before.
    /// </summary>
    public static FunctionInvokingChatClient ScrubFunctionResults(this FunctionInvokingChatClient client, CredentialScrubber scrubber)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(scrubber);
        lock (s_scrubbing)
        {
            if (s_scrubbing.TryGetValue(client, out _))
            {
                return client;
            }

            var previous = client.FunctionInvoker;
            client.FunctionInvoker = async (context, cancellationToken) =>
            {
                var result = previous is null
                    ? await context.Function.InvokeAsync(context.Arguments, cancellationToken).ConfigureAwait(false)
                    : await previous(context, cancellationToken).ConfigureAwait(false);
                return ToolResultScrubber.Scrub(result, scrubber, context.Function.JsonSerializerOptions, "tool result " + context.Function.Name);
            };
            s_scrubbing.Add(client, scrubber);
            return client;
        }
    }

    /// <summary>This tool, with its results scrubbed as they return (see <see cref="CredentialScrubbingFunction"/>).</summary>
    public static AIFunction WithCredentialScrubbing(this AIFunction function, CredentialScrubber scrubber) =>
        function as CredentialScrubbingFunction ?? new CredentialScrubbingFunction(function, scrubber);
}
