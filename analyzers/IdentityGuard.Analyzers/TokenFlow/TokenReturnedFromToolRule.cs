using System.Collections.Generic;
using IdentityGuard.Analyzers.Descriptors;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.TokenFlow;

/// <summary>
/// IG0301: a value returned from an agent tool that carries a token, directly or in a member of the returned
/// object (tool results are JSON-serialized for the model, so every public member travels).
/// </summary>
/// <remarks>
/// A tool is a method with a tool attribute (<see cref="AgentTools.Attributes"/>), a lambda passed to a tool
/// factory, or a method passed to a factory as a method group. The last case joins two analyses that run in any
/// order (the method's body and the factory call): <see cref="ToolRendezvous"/> reports when the second arrives.
/// Returning an IdentityGuard <c>AccessToken</c>/<c>ApiKey</c> object is not reported: it serializes as
/// <c>"[redacted]"</c>.
/// </remarks>
internal static class TokenReturnedFromToolRule
{
    public static Diagnostic Create(List<IOperation> leaves, ResultReceiver receiver) =>
        TaintLeaves.CreateDiagnostic(Rules.TokenReturnedFromTool, leaves, receiver.What, receiver.Audience);

    /// <summary>
    /// A call or construction that builds or writes an HTTP response body (<see cref="TokenSinks.Responses"/>): any
    /// argument that carries a token is sent to the caller, wherever the call sits.
    /// </summary>
    public static Diagnostic? CheckResponse(IOperation operation, TaintState state, TaintPropagation propagation, ResolvedTokenSinks sinks)
    {
        if (sinks.MatchResponse(operation) is not { } response)
        {
            return null;
        }

        var arguments = operation switch
        {
            IInvocationOperation invocation => invocation.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => default,
        };
        return !arguments.IsDefault && TokenLoggedRule.TaintedArguments(arguments, state, propagation) is { } leaves
            ? Create(leaves, ResultReceiver.Response(response))
            : null;
    }
}

/// <summary>Who receives what a method or delegate returns: the model (agent tools) or an HTTP caller (endpoints).</summary>
/// <param name="What">The first message argument: the tool, endpoint or response-building call.</param>
/// <param name="Audience">The second: who the value is disclosed to.</param>
internal sealed record ResultReceiver(string What, string Audience)
{
    public static ResultReceiver Tool(string name) => new("Agent tool '" + name + "'", "the model");

    public static ResultReceiver Endpoint(string name) => new("HTTP endpoint '" + name + "'", HttpCaller);

    public static ResultReceiver Response(string builtBy) => new(builtBy, HttpCaller);

    private const string HttpCaller = "the HTTP caller";
}

/// <summary>
/// Joins "this method returns a token" (from the method's body analysis) with "this method is registered as a tool
/// by method group" (from the factory call), whichever comes first, for one compilation.
/// </summary>
internal sealed class ToolRendezvous
{
    private readonly object _gate = new();
    private readonly HashSet<IMethodSymbol> _registered = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IMethodSymbol, List<Diagnostic>> _pending = new(SymbolEqualityComparer.Default);

    /// <summary>Records token-returning statements of a method; true when the method is already known to be a tool (report now).</summary>
    public bool AddReturns(IMethodSymbol method, List<Diagnostic> diagnostics)
    {
        lock (_gate)
        {
            if (_registered.Contains(method))
            {
                return true;
            }

            if (_pending.TryGetValue(method, out var existing))
            {
                existing.AddRange(diagnostics);
            }
            else
            {
                _pending[method] = diagnostics;
            }

            return false;
        }
    }

    /// <summary>Marks a method as a tool; returns the findings recorded for it so far (to report now), if any.</summary>
    public List<Diagnostic>? Register(IMethodSymbol method)
    {
        lock (_gate)
        {
            if (!_registered.Add(method) || !_pending.TryGetValue(method, out var diagnostics))
            {
                return null;
            }

            _pending.Remove(method);
            return diagnostics;
        }
    }
}
