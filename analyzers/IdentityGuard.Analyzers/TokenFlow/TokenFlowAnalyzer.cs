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
        var rendezvous = new ToolRendezvous();

        context.RegisterOperationBlockStartAction(blockStart =>
        {
            var touched = new TouchedFlag();
            blockStart.RegisterOperationAction(
                operation =>
                {
                    if (!touched.Value && propagation.TouchesSource(operation.Operation))
                    {
                        touched.Value = true;
                    }
                },
                OperationKind.Invocation,
                OperationKind.PropertyReference);

            blockStart.RegisterOperationBlockEndAction(blockEnd =>
            {
                if (touched.Value)
                {
                    AnalyzeBody(blockEnd, propagation, sinks, tools, rendezvous);
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

    private static void AnalyzeBody(
        OperationBlockAnalysisContext context, TaintPropagation propagation, ResolvedTokenSinks sinks, ResolvedAgentTools tools, ToolRendezvous rendezvous)
    {
        var owner = context.OwningSymbol as IMethodSymbol;
        var receiver = tools.ReceiverOf(owner);
        var walker = new TokenFlowWalker(propagation, sinks, tools, rendezvous, context.ReportDiagnostic, context.CancellationToken);
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
