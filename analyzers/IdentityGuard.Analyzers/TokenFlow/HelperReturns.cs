using System.Collections.Concurrent;
using System.Threading;
using IdentityGuard.Analyzers.Descriptors;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.TokenFlow;

/// <summary>
/// A token value passed through one helper method: <c>Describe(token.RevealValue())</c> where <c>Describe</c>
/// returns <c>"Connected (" + value + ")"</c>. Per compilation and per (method, parameter), a summary says whether
/// the parameter's value reaches what the method returns; it is computed once, on the first call that passes a token
/// value, by solving the helper's own control-flow graph with only that parameter tainted. No callee is analyzed
/// again per call site.
/// </summary>
/// <remarks>
/// Followed: ordinary, non-virtual, non-abstract methods declared in source of this compilation with one declaration
/// and a body (whatever their accessibility: the body that runs is the one summarized). One level: inside a helper,
/// calls to further helpers end the flow, as any unknown call does. A helper that hashes or measures its parameter
/// returns nothing tainted, so it is not followed.
/// </remarks>
internal sealed class HelperReturns
{
    private readonly Compilation _compilation;
    private readonly TaintPropagation _inner;
    private readonly ResolvedTokenSinks _sinks;
    private readonly ResolvedAgentTools _tools;
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Ordinal), bool> _summaries = new(new KeyComparer());

    /// <param name="compilation">The compilation whose methods are summarized.</param>
    /// <param name="inner">The propagation used inside helpers: one that does not follow helpers itself.</param>
    public HelperReturns(Compilation compilation, TaintPropagation inner, ResolvedTokenSinks sinks, ResolvedAgentTools tools)
    {
        _compilation = compilation;
        _inner = inner;
        _sinks = sinks;
        _tools = tools;
    }

    /// <summary>A method whose body this compilation holds and whose calls always run it.</summary>
    public bool IsFollowed(IMethodSymbol method) =>
        method.MethodKind == MethodKind.Ordinary
        && !method.IsVirtual && !method.IsAbstract && !method.IsOverride && !method.IsExtern && !method.IsPartialDefinition
        && method.Parameters.Length > 0
        && method.DeclaringSyntaxReferences.Length == 1
        && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly);

    /// <summary>Whether the value of parameter <paramref name="ordinal"/> of <paramref name="method"/> reaches its return value.</summary>
    public bool PassesThrough(IMethodSymbol method, int ordinal)
    {
        var definition = method.OriginalDefinition;
        return _summaries.GetOrAdd((definition, ordinal), key => Summarize(key.Method, key.Ordinal));
    }

    private bool Summarize(IMethodSymbol method, int ordinal)
    {
        var parameter = method.Parameters[ordinal];
        if (TaintPropagation.CannotHoldText(parameter.Type) || parameter.RefKind == RefKind.Out
            || method.ReturnsVoid || TaintPropagation.CannotHoldText(method.ReturnType))
        {
            return false;
        }

        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
        if (syntax is not MethodDeclarationSyntax { Body: not null } and not MethodDeclarationSyntax { ExpressionBody: not null })
        {
            return false;
        }

        // The helper's own body, bound once for its summary. The analyzer driver binds it anyway when it analyzes the
        // helper; this is at most one more binding per summarized method, not one per call site.
#pragma warning disable RS1030 // Summaries are computed once per method and cached for the compilation.
        var model = _compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
        if (model.GetOperation(syntax) is not IMethodBodyOperation body)
        {
            return false;
        }

        var reaches = false;
        var walker = new TokenFlowWalker(
            _inner, _sinks, _tools, new ToolRendezvous(), diagnostic => reaches |= diagnostic.Id == Rules.TokenReturnedFromTool.Id, CancellationToken.None);
        var initial = new TaintState();
        initial.Set(parameter, Taint.Whole);
        walker.Analyze(ControlFlowGraph.Create(body), initial, ResultReceiver.Tool(method.Name), null, returnsOnly: true);
        return reaches;
    }

    private sealed class KeyComparer : System.Collections.Generic.IEqualityComparer<(IMethodSymbol Method, int Ordinal)>
    {
        public bool Equals((IMethodSymbol Method, int Ordinal) x, (IMethodSymbol Method, int Ordinal) y) =>
            x.Ordinal == y.Ordinal && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Ordinal) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + obj.Ordinal;
    }
}
