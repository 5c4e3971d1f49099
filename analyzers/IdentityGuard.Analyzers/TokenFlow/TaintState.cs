using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace IdentityGuard.Analyzers.TokenFlow;

/// <summary>
/// What part of a value carries a token: the whole value (a string, a builder, a collection) or some named
/// members of an object (<c>new { Token = … }</c> taints only <c>Token</c>, so reading <c>Summary</c> is clean).
/// One level of members is enough to tell a harmless sibling from the credential without a heap model.
/// </summary>
internal sealed class Taint : IEquatable<Taint>
{
    public static readonly Taint Whole = new(null);

    private Taint(ImmutableHashSet<string>? members) => Members = members;

    /// <summary>The tainted members; null when the whole value is tainted.</summary>
    public ImmutableHashSet<string>? Members { get; }

    public bool IsWhole => Members is null;

    public static Taint OfMembers(IEnumerable<string> names) => new(ImmutableHashSet.CreateRange(StringComparer.Ordinal, names));

    public bool Covers(string member) => Members is null || Members.Contains(member);

    public static Taint? Union(Taint? left, Taint? right)
    {
        if (left is null || ReferenceEquals(left, right))
        {
            return right;
        }

        if (right is null)
        {
            return left;
        }

        if (left.Members is null || right.Members is null)
        {
            return Whole;
        }

        return left.Members.IsSupersetOf(right.Members) ? left : new Taint(left.Members.Union(right.Members));
    }

    /// <summary>The taint left after member <paramref name="member"/> is overwritten with a clean value.</summary>
    public Taint? Without(string member)
    {
        if (Members is null || !Members.Contains(member))
        {
            return this;
        }

        var rest = Members.Remove(member);
        return rest.IsEmpty ? null : new Taint(rest);
    }

    public bool Equals(Taint? other) =>
        other is not null && (ReferenceEquals(this, other) || (Members is null ? other.Members is null : other.Members is not null && Members.SetEquals(other.Members)));

    public override bool Equals(object? obj) => Equals(obj as Taint);

    public override int GetHashCode() => Members?.Count ?? -1;
}

/// <summary>
/// Taint of the storage locations of one method body at one program point: locals, parameters, fields and
/// properties of <c>this</c> (by symbol), and the compiler's flow captures (by <see cref="Microsoft.CodeAnalysis.FlowAnalysis.CaptureId"/>).
/// </summary>
internal sealed class TaintState
{
    private readonly Dictionary<object, Taint> _roots;

    public TaintState() => _roots = new Dictionary<object, Taint>(RootComparer.Instance);

    private TaintState(Dictionary<object, Taint> roots) => _roots = new Dictionary<object, Taint>(roots, RootComparer.Instance);

    public bool IsEmpty => _roots.Count == 0;

    public TaintState Clone() => new(_roots);

    public Taint? Get(object root) => _roots.TryGetValue(root, out var taint) ? taint : null;

    public void Set(object root, Taint? taint)
    {
        if (taint is null)
        {
            _roots.Remove(root);
        }
        else
        {
            _roots[root] = taint;
        }
    }

    /// <summary>May-taint join at a control-flow merge. Returns whether this state grew.</summary>
    public bool MergeFrom(TaintState other)
    {
        var changed = false;
        foreach (var pair in other._roots)
        {
            var current = Get(pair.Key);
            var merged = Taint.Union(current, pair.Value);
            if (current is null || !current.Equals(merged))
            {
                _roots[pair.Key] = merged!;
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Symbols by symbol identity, captures by id.</summary>
    private sealed class RootComparer : IEqualityComparer<object>
    {
        public static readonly RootComparer Instance = new();

        public new bool Equals(object? x, object? y) =>
            x is ISymbol left && y is ISymbol right ? SymbolEqualityComparer.Default.Equals(left, right) : object.Equals(x, y);

        public int GetHashCode(object obj) => obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : obj.GetHashCode();
    }
}
