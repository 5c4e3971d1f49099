using System.Collections.Generic;
using IdentityGuard.Analyzers.Descriptors;
using Microsoft.CodeAnalysis;

namespace IdentityGuard.Analyzers.TokenFlow;

/// <summary>
/// IG0300 through one helper method: per compilation, each private or internal helper is summarized once, when its
/// own body is analyzed (which of its parameters reach a log sink), and every call that passes it a token value is
/// recorded when the caller's body is analyzed. Bodies are analyzed in any order, so whichever of the two arrives
/// second reports; no callee is analyzed again per call site.
/// </summary>
/// <remarks>
/// One level: a helper's summary does not include the helpers it calls. Public, protected and overridable methods
/// are not summarized: callers in other assemblies or overrides may do anything with the value.
/// </remarks>
internal sealed class HelperSummaries
{
    private readonly object _gate = new();
    private readonly Dictionary<(IMethodSymbol Method, int Ordinal), bool> _summaries = new(new KeyComparer());
    private readonly Dictionary<(IMethodSymbol Method, int Ordinal), List<Diagnostic>> _pendingCalls = new(new KeyComparer());

    /// <summary>A method whose every caller is in this compilation and whose body is the one that runs.</summary>
    public static bool IsHelper(IMethodSymbol method, IAssemblySymbol assembly) =>
        method.MethodKind == MethodKind.Ordinary
        && method.DeclaredAccessibility is Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal
        && !method.IsVirtual && !method.IsAbstract && !method.IsOverride && !method.IsExtern && !method.IsPartialDefinition
        && method.Parameters.Length > 0
        && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, assembly);

    /// <summary>The finding at a call that passes a token value to parameter <paramref name="parameter"/> of <paramref name="helper"/>.</summary>
    public static Diagnostic CallFinding(IMethodSymbol helper, IParameterSymbol parameter, List<IOperation> leaves) =>
        TaintLeaves.CreateDiagnostic(Rules.TokenLogged, leaves, "helper '" + helper.Name + "', which logs its parameter '" + parameter.Name + "'");

    /// <summary>Records the summary of one parameter; returns the calls recorded so far that it turns into findings.</summary>
    public List<Diagnostic>? AddSummary(IMethodSymbol helper, int ordinal, bool reachesSink)
    {
        var key = (helper.OriginalDefinition, ordinal);
        lock (_gate)
        {
            _summaries[key] = reachesSink;
            if (!_pendingCalls.TryGetValue(key, out var calls))
            {
                return null;
            }

            _pendingCalls.Remove(key);
            return reachesSink ? calls : null;
        }
    }

    /// <summary>Records a call passing a token value; true when the helper is already known to log that parameter (report now).</summary>
    public bool AddCall(IMethodSymbol helper, int ordinal, Diagnostic finding)
    {
        var key = (helper.OriginalDefinition, ordinal);
        lock (_gate)
        {
            if (_summaries.TryGetValue(key, out var reachesSink))
            {
                return reachesSink;
            }

            if (!_pendingCalls.TryGetValue(key, out var calls))
            {
                _pendingCalls[key] = calls = new List<Diagnostic>();
            }

            calls.Add(finding);
            return false;
        }
    }

    private sealed class KeyComparer : IEqualityComparer<(IMethodSymbol Method, int Ordinal)>
    {
        public bool Equals((IMethodSymbol Method, int Ordinal) x, (IMethodSymbol Method, int Ordinal) y) =>
            x.Ordinal == y.Ordinal && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Ordinal) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + obj.Ordinal;
    }
}
