using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using IdentityGuard.Analyzers.Consent;
using IdentityGuard.Analyzers.TokenFlow;
using Microsoft.CodeAnalysis;

namespace IdentityGuard.Analyzers.Symbols;

/// <summary>
/// The well-known symbols of one compilation, shared by every IdentityGuard analyzer: each type is looked up once
/// per compilation, and each family's resolved table (token sources, sinks, agent tools, consent types) is built
/// once, on the first analyzer that asks, instead of once per analyzer at every compilation start.
/// </summary>
/// <remarks>
/// Keyed by the <see cref="Compilation"/> object in a <see cref="ConditionalWeakTable{TKey, TValue}"/>: the compiler
/// hands the same object to every analyzer of one build, the IDE a new one per edit, and an entry lives exactly as
/// long as its compilation. Everything is lazy and thread-safe, because analyzers start concurrently.
/// </remarks>
internal sealed class CompilationSymbols
{
    private static readonly ConditionalWeakTable<Compilation, CompilationSymbols> Cache = new();
    private static readonly ConditionalWeakTable<Compilation, CompilationSymbols>.CreateValueCallback Create = static compilation => new CompilationSymbols(compilation);

    private readonly ConcurrentDictionary<string, INamedTypeSymbol?> _types = new(StringComparer.Ordinal);
    private readonly Func<string, INamedTypeSymbol?> _lookup;
    private readonly Lazy<ResolvedTokenSources> _tokenSources;
    private readonly Lazy<ResolvedTokenSinks> _tokenSinks;
    private readonly Lazy<ResolvedAgentTools> _agentTools;
    private readonly Lazy<TaintPropagation?> _propagation;
    private readonly Lazy<ConsentSymbols?> _consent;

    private CompilationSymbols(Compilation compilation)
    {
        Compilation = compilation;
        _lookup = compilation.GetTypeByMetadataName;
        _tokenSources = new(() => ResolvedTokenSources.Resolve(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
        _tokenSinks = new(() => ResolvedTokenSinks.Resolve(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
        _agentTools = new(() => ResolvedAgentTools.Resolve(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
        _propagation = new(() => CreatePropagation(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
        _consent = new(() => ConsentSymbols.Resolve(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public Compilation Compilation { get; }

    /// <summary>The token-source table (<see cref="TokenFlow.TokenSources"/>) resolved against this compilation.</summary>
    public ResolvedTokenSources TokenSources => _tokenSources.Value;

    /// <summary>The log and response sinks resolved against this compilation.</summary>
    public ResolvedTokenSinks TokenSinks => _tokenSinks.Value;

    /// <summary>The agent-tool attributes, factories and endpoint maps resolved against this compilation.</summary>
    public ResolvedAgentTools AgentTools => _agentTools.Value;

    /// <summary>How taint moves, over <see cref="TokenSources"/>; <see langword="null"/> when the compilation has no token source.</summary>
    public TaintPropagation? Propagation => _propagation.Value;

    /// <summary>The consent rules' symbols, or <see langword="null"/> when there is nothing to check (<see cref="ConsentSymbols.Resolve"/>).</summary>
    public ConsentSymbols? Consent => _consent.Value;

    /// <summary>The symbols of <paramref name="compilation"/>, created on first use.</summary>
    public static CompilationSymbols For(Compilation compilation) => Cache.GetValue(compilation, Create);

    /// <summary><see cref="Compilation.GetTypeByMetadataName"/>, looked up once per compilation and name.</summary>
    public INamedTypeSymbol? Type(string metadataName) => _types.GetOrAdd(metadataName, _lookup);

    private TaintPropagation? CreatePropagation(Compilation compilation)
    {
        if (TokenSources.IsEmpty)
        {
            return null;
        }

        // Values returned through one helper are followed; inside the helper's own summary they are not (one level),
        // so the summaries are computed with a propagation that does not follow helpers.
        var propagation = new TaintPropagation(compilation, TokenSources);
        propagation.FollowHelperReturns(new HelperReturns(compilation, new TaintPropagation(compilation, TokenSources), TokenSinks, AgentTools));
        return propagation;
    }
}
