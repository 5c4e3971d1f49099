using System;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Scrubbing;
using Microsoft.Extensions.AI;

namespace IdentityGuard.Extensions.AI;

/// <summary>
/// A tool whose result is scrubbed as it returns, before any chat client (or anything else) sees it. Use it for tools
/// handed to a pipeline you do not build, or to an agent framework that invokes tools itself.
/// </summary>
public sealed class CredentialScrubbingFunction : DelegatingAIFunction
{
    private readonly CredentialScrubber _scrubber;

    /// <summary>Wraps <paramref name="innerFunction"/>.</summary>
    public CredentialScrubbingFunction(AIFunction innerFunction, CredentialScrubber scrubber)
        : base(innerFunction)
    {
        ArgumentNullException.ThrowIfNull(scrubber);
        _scrubber = scrubber;
    }

    /// <inheritdoc />
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var result = await base.InvokeCoreAsync(arguments, cancellationToken).ConfigureAwait(false);
        return ToolResultScrubber.Scrub(result, _scrubber, JsonSerializerOptions, "tool result " + Name);
    }
}
