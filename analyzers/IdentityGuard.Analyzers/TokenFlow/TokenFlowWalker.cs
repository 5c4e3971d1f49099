using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.TokenFlow;

/// <summary>
/// Forward may-taint data flow over one control-flow graph: a worklist fixpoint of <see cref="TaintState"/> per basic
/// block, then one reporting pass that checks sinks and returns with the state before each statement. Nested lambdas
/// start from the state where they are created (captured locals keep their taint); local functions start clean.
/// </summary>
internal sealed class TokenFlowWalker
{
    /// <summary>A bound on block visits per graph; the lattice is finite, this only guards pathological graphs.</summary>
    private const int MaxVisitsPerBlock = 64;

    private readonly TaintPropagation _propagation;
    private readonly ResolvedTokenSinks _sinks;
    private readonly ResolvedAgentTools _tools;
    private readonly ToolRendezvous _rendezvous;
    private readonly Action<Diagnostic> _report;
    private readonly CancellationToken _cancellationToken;

    /// <summary>Set when calls passing token values to helpers are to be recorded (not while summarizing a helper).</summary>
    private readonly HelperSummaries? _helpers;
    private readonly IAssemblySymbol? _assembly;

    public TokenFlowWalker(
        TaintPropagation propagation, ResolvedTokenSinks sinks, ResolvedAgentTools tools, ToolRendezvous rendezvous, Action<Diagnostic> report, CancellationToken cancellationToken,
        HelperSummaries? helpers = null, IAssemblySymbol? assembly = null)
    {
        _helpers = helpers;
        _assembly = assembly;
        _propagation = propagation;
        _sinks = sinks;
        _tools = tools;
        _rendezvous = rendezvous;
        _report = report;
        _cancellationToken = cancellationToken;
    }

    /// <param name="graph">The graph to analyze.</param>
    /// <param name="initial">The state on entry.</param>
    /// <param name="receiver">Set when the graph is an agent tool's or an HTTP endpoint's body: token-carrying returns are reported.</param>
    /// <param name="method">
    /// The method whose body this is, when it is not known to be a tool: its token-carrying returns are handed to the
    /// <see cref="ToolRendezvous"/> in case a factory call registers it by method group.
    /// </param>
    /// <param name="returnsOnly">Only the returns are checked (a helper's summary, <see cref="HelperReturns"/>): no sinks, no nested functions.</param>
    public void Analyze(ControlFlowGraph graph, TaintState initial, ResultReceiver? receiver, IMethodSymbol? method, bool returnsOnly = false)
    {
        var returns = receiver is null && method is not null && !_tools.IsEmpty ? new List<Diagnostic>() : null;
        var states = Solve(graph, initial);
        if (states is null)
        {
            return;
        }

        var blocks = graph.Blocks;
        for (var ordinal = 0; ordinal < blocks.Length; ordinal++)
        {
            if (states[ordinal] is not { } entry)
            {
                continue;
            }

            var block = blocks[ordinal];
            var state = entry.Clone();
            foreach (var statement in block.Operations)
            {
                if (!returnsOnly)
                {
                    Check(graph, statement, state);
                }

                _propagation.Transfer(statement, state);
            }

            if (block.BranchValue is { } branchValue)
            {
                if (!returnsOnly)
                {
                    Check(graph, branchValue, state);
                }

                if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return && (receiver is not null || returns is not null))
                {
                    CheckReturn(branchValue, state, receiver ?? ResultReceiver.Tool(method!.Name), returns);
                }
            }
        }

        if (returns is { Count: > 0 } && _rendezvous.AddReturns(method!, returns))
        {
            returns.ForEach(_report);
        }

        foreach (var localFunction in returnsOnly ? System.Collections.Immutable.ImmutableArray<IMethodSymbol>.Empty : graph.LocalFunctions)
        {
            var nested = graph.GetLocalFunctionControlFlowGraph(localFunction, _cancellationToken);
            var isTool = _tools.IsToolMethod(localFunction);
            Analyze(nested, new TaintState(), isTool ? ResultReceiver.Tool(localFunction.Name) : null, localFunction);
        }
    }

    private void CheckReturn(IOperation value, TaintState state, ResultReceiver receiver, List<Diagnostic>? returns)
    {
        if (_propagation.Evaluate(value, state) is null || BuildsResponse(value))
        {
            return;
        }

        var leaves = new List<IOperation>();
        TaintLeaves.Collect(value, state, _propagation, leaves);
        var diagnostic = TokenReturnedFromToolRule.Create(leaves, receiver);
        if (returns is null)
        {
            _report(diagnostic);
        }
        else
        {
            returns.Add(diagnostic);
        }
    }

    /// <summary>A token value passed to a helper of this compilation: reported when the helper's summary says it logs that parameter.</summary>
    private void RecordHelperCall(IInvocationOperation call, TaintState state)
    {
        if (_helpers is null || _assembly is null || !HelperSummaries.IsHelper(call.TargetMethod.OriginalDefinition, _assembly))
        {
            return;
        }

        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is not { } parameter || _propagation.Evaluate(argument.Value, state) is null)
            {
                continue;
            }

            var leaves = new List<IOperation>();
            TaintLeaves.Collect(argument.Value, state, _propagation, leaves);
            var finding = HelperSummaries.CallFinding(call.TargetMethod, parameter, leaves);
            if (_helpers.AddCall(call.TargetMethod, parameter.Ordinal, finding))
            {
                _report(finding);
            }
        }
    }

    /// <summary><c>return Ok(value)</c>: the response-building call is reported already (at its argument), once.</summary>
    private bool BuildsResponse(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return _sinks.MatchResponse(value) is not null;
    }

    private void Check(ControlFlowGraph graph, IOperation statement, TaintState state)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IInvocationOperation or IObjectCreationOperation:
                    if (TokenLoggedRule.Check(operation, state, _propagation, _sinks) is { } diagnostic)
                    {
                        _report(diagnostic);
                    }

                    if (TokenReturnedFromToolRule.CheckResponse(operation, state, _propagation, _sinks) is { } response)
                    {
                        _report(response);
                    }

                    if (operation is IInvocationOperation call)
                    {
                        RecordHelperCall(call, state);
                    }

                    break;
                case IFlowAnonymousFunctionOperation lambda:
                    var nested = graph.GetAnonymousFunctionControlFlowGraph(lambda, _cancellationToken);
                    Analyze(nested, state.Clone(), _tools.ReceiverOfLambda(lambda), null);
                    break;
            }
        }
    }

    /// <summary>The state on entry to each block (null: unreachable), or null when the bound was hit.</summary>
    private TaintState?[]? Solve(ControlFlowGraph graph, TaintState initial)
    {
        var blocks = graph.Blocks;
        var entries = new TaintState?[blocks.Length];
        var exits = new TaintState?[blocks.Length];
        var queued = new bool[blocks.Length];
        var queue = new Queue<int>();
        var handlers = Handlers(graph);
        var budget = blocks.Length * MaxVisitsPerBlock;

        void Flow(BasicBlock? destination, TaintState state)
        {
            if (destination is null)
            {
                return;
            }

            var target = destination.Ordinal;
            if (entries[target] is not { } existing)
            {
                entries[target] = state.Clone();
            }
            else if (!existing.MergeFrom(state))
            {
                return;
            }

            if (!queued[target])
            {
                queued[target] = true;
                queue.Enqueue(target);
            }
        }

        Flow(blocks[0], initial);
        while (true)
        {
            while (queue.Count > 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (--budget < 0)
                {
                    return null;
                }

                var ordinal = queue.Dequeue();
                queued[ordinal] = false;
                var block = blocks[ordinal];
                var state = entries[ordinal]!.Clone();
                foreach (var statement in block.Operations)
                {
                    _propagation.Transfer(statement, state);
                }

                if (block.BranchValue is { } branchValue)
                {
                    _propagation.Transfer(branchValue, state);
                }

                exits[ordinal] = state;
                Flow(block.FallThroughSuccessor?.Destination, state);
                Flow(block.ConditionalSuccessor?.Destination, state);
            }

            // catch and finally blocks are entered by exceptional flow, which the graph does not draw: they start
            // from anything the try region may have held at any point.
            var progressed = false;
            foreach (var (handlerEntry, tryFirst, tryLast) in handlers)
            {
                TaintState? reaching = null;
                for (var i = tryFirst; i <= tryLast; i++)
                {
                    foreach (var seen in new[] { entries[i], exits[i] })
                    {
                        if (seen is not null)
                        {
                            reaching ??= new TaintState();
                            reaching.MergeFrom(seen);
                        }
                    }
                }

                if (reaching is not null)
                {
                    var before = queue.Count;
                    Flow(blocks[handlerEntry], reaching);
                    progressed |= queue.Count > before;
                }
            }

            if (!progressed)
            {
                return entries;
            }
        }
    }

    /// <summary>(first block of a catch/filter/finally region, first and last block of its try region).</summary>
    private static List<(int Entry, int TryFirst, int TryLast)> Handlers(ControlFlowGraph graph)
    {
        var handlers = new List<(int, int, int)>();
        var pending = new Stack<ControlFlowRegion>();
        pending.Push(graph.Root);
        while (pending.Count > 0)
        {
            var region = pending.Pop();
            if (region.Kind is ControlFlowRegionKind.TryAndCatch or ControlFlowRegionKind.TryAndFinally && region.NestedRegions.Length > 1)
            {
                var tryRegion = region.NestedRegions[0];
                for (var i = 1; i < region.NestedRegions.Length; i++)
                {
                    handlers.Add((region.NestedRegions[i].FirstBlockOrdinal, tryRegion.FirstBlockOrdinal, tryRegion.LastBlockOrdinal));
                }
            }

            foreach (var nested in region.NestedRegions)
            {
                pending.Push(nested);
            }
        }

        return handlers;
    }
}
