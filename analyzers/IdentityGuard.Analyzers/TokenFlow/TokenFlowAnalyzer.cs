using System.Collections.Generic;
using System.Collections.Immutable;
using IdentityGuard.Analyzers.Descriptors;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.TokenFlow;

/// <summary>
/// The token-flow family: IG0300 (<see cref="TokenLoggedRule"/>, token value reaches a log or diagnostic sink) and
/// IG0301 (<see cref="TokenReturnedFromToolRule"/>, token value returned from an agent tool). Both rules live in one
/// analyzer because they share one data-flow solution per method body; solving it twice would double the cost.
/// </summary>
/// <remarks>
/// Cost model (after the roslyn-analyzers taint rules): symbols are resolved once per compilation, and nothing is
/// registered when no source type exists. Per method body, a cheap operation callback only records whether the body
/// touches a source (<see cref="TokenSources"/>); the control-flow graph and the fixpoint are built at the end of the
/// body, and only for bodies that did.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TokenFlowAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Rules.TokenLogged, Rules.TokenReturnedFromTool);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var sources = ResolvedTokenSources.Resolve(context.Compilation);
        if (sources.IsEmpty)
        {
            return;
        }

        var propagation = new TaintPropagation(context.Compilation, sources);
        var sinks = ResolvedTokenSinks.Resolve(context.Compilation);
        var tools = ResolvedAgentTools.Resolve(context.Compilation);

        // Values returned through one helper are followed; inside the helper's own summary they are not (one level).
        propagation.FollowHelperReturns(new HelperReturns(context.Compilation, new TaintPropagation(context.Compilation, sources), sinks, tools));
        var rendezvous = new ToolRendezvous();
        var helpers = new HelperSummaries();
        var assembly = context.Compilation.Assembly;

        context.RegisterOperationBlockStartAction(blockStart =>
        {
            var touched = new TouchedFlag();
            var logs = new TouchedFlag();
            var helper = blockStart.OwningSymbol is IMethodSymbol method && HelperSummaries.IsHelper(method, assembly) ? method : null;
            blockStart.RegisterOperationAction(
                operation =>
                {
                    if (!touched.Value && propagation.TouchesSource(operation.Operation))
                    {
                        touched.Value = true;
                    }

                    if (helper is not null && !logs.Value && operation.Operation is IInvocationOperation call && sinks.Match(call) is not null)
                    {
                        logs.Value = true;
                    }
                },
                OperationKind.Invocation,
                OperationKind.PropertyReference);

            blockStart.RegisterOperationBlockEndAction(blockEnd =>
            {
                if (touched.Value)
                {
                    AnalyzeBody(blockEnd, propagation, sinks, tools, rendezvous, helpers);
                }

                if (helper is not null)
                {
                    Summarize(blockEnd, helper, logs.Value, propagation, sinks, tools, helpers);
                }
            });
        });

        if (!tools.IsEmpty)
        {
            // A method passed to a tool factory by method group is a tool too; its body may be analyzed before or after.
            context.RegisterOperationAction(
                operation =>
                {
                    var invocation = (IInvocationOperation)operation.Operation;
                    if (!tools.IsFactory(invocation))
                    {
                        return;
                    }

                    foreach (var (_, method) in ResolvedAgentTools.MethodGroups(invocation))
                    {
                        if (rendezvous.Register(method.OriginalDefinition) is { } findings)
                        {
                            findings.ForEach(operation.ReportDiagnostic);
                        }
                    }
                },
                OperationKind.Invocation);
        }
    }

    /// <summary>
    /// Which parameters of a helper reach a log sink: its graph is solved once per parameter of a type that can hold
    /// text, with only that parameter tainted, and findings are collected instead of reported. A helper with no sink
    /// call is summarized as logging nothing without building a graph.
    /// </summary>
    private static void Summarize(
        OperationBlockAnalysisContext context, IMethodSymbol helper, bool logs, TaintPropagation propagation, ResolvedTokenSinks sinks, ResolvedAgentTools tools, HelperSummaries helpers)
    {
        var root = RootBlock(context);
        foreach (var parameter in helper.Parameters)
        {
            var reaches = false;
            if (logs && root is not null && !TaintPropagation.CannotHoldText(parameter.Type) && parameter.RefKind != RefKind.Out)
            {
                var walker = new TokenFlowWalker(
                    propagation, sinks, tools, new ToolRendezvous(), diagnostic => reaches |= diagnostic.Id == Rules.TokenLogged.Id, context.CancellationToken);
                var initial = new TaintState();
                initial.Set(parameter, Taint.Whole);
                walker.Analyze(context.GetControlFlowGraph(root), initial, null, null);
            }

            if (helpers.AddSummary(helper, parameter.Ordinal, reaches) is { } findings)
            {
                findings.ForEach(context.ReportDiagnostic);
            }
        }
    }

    /// <summary>The block of a method body a control-flow graph can be built for, or null.</summary>
    private static IOperation? RootBlock(OperationBlockAnalysisContext context)
    {
        foreach (var block in context.OperationBlocks)
        {
            var root = block;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            if (root.Kind is OperationKind.MethodBody or OperationKind.Block)
            {
                return block;
            }
        }

        return null;
    }

    private static void AnalyzeBody(
        OperationBlockAnalysisContext context, TaintPropagation propagation, ResolvedTokenSinks sinks, ResolvedAgentTools tools, ToolRendezvous rendezvous, HelperSummaries helpers)
    {
        var owner = context.OwningSymbol as IMethodSymbol;
        var receiver = tools.ReceiverOf(owner);
        var walker = new TokenFlowWalker(propagation, sinks, tools, rendezvous, context.ReportDiagnostic, context.CancellationToken, helpers, context.Compilation.Assembly);
        // A method's blocks (body, parameter defaults) may hang below one root (IMethodBodyOperation); the graph is
        // built for the root, once.
        var analyzed = new HashSet<IOperation>();
        foreach (var block in context.OperationBlocks)
        {
            var root = block;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            if (!HasControlFlowGraph(root) || !analyzed.Add(root))
            {
                continue;
            }

            var graph = context.GetControlFlowGraph(block);
            walker.Analyze(graph, new TaintState(), receiver, receiver is null ? owner?.OriginalDefinition : null);
        }
    }

    private static bool HasControlFlowGraph(IOperation block) => block.Kind is
        OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block
        or OperationKind.FieldInitializer or OperationKind.PropertyInitializer or OperationKind.ParameterInitializer;

    /// <summary>Set by the operation callbacks of one body, read at its end (callbacks of one body run in order).</summary>
    private sealed class TouchedFlag
    {
        public bool Value;
    }
}
