using System;
using System.Collections;
using System.Collections.Generic;
using System.Text.Json;

namespace IdentityGuard.Authorization;

/// <summary>
/// The parties acting for a token's subject, read from its RFC 8693 <c>act</c> claim (section 4.1): the outermost
/// <c>act</c> is the most recent actor (the one presenting the token), each nested <c>act</c> the one before it. Index
/// 0 is therefore the caller you are talking to and the last entry the first agent the user delegated to. An empty
/// chain means the subject acts for itself.
/// </summary>
public sealed class ActorChain : IReadOnlyList<string>, IEquatable<ActorChain>
{
    /// <summary>The longest chain read from a token; deeper nesting is treated as malformed rather than walked.</summary>
    public const int MaxReadableDepth = 32;

    private readonly string[] _actors;

    private ActorChain(string[] actors) => _actors = actors;

    /// <summary>A chain without actors: the subject acts for itself.</summary>
    public static ActorChain Empty { get; } = new([]);

    /// <summary>The most recent actor (the outermost <c>act</c>), or <see langword="null"/> for an empty chain.</summary>
    public string? Current => _actors.Length > 0 ? _actors[0] : null;

    /// <summary>How many actors the chain holds.</summary>
    public int Count => _actors.Length;

    /// <summary>The actor at <paramref name="index"/>: 0 is the most recent, <c>Count - 1</c> the first.</summary>
    public string this[int index] => _actors[index];

    /// <summary>Builds a chain from actor subjects, most recent first.</summary>
    /// <param name="actors">The actors' <c>sub</c> values, most recent first; none may be empty.</param>
    public static ActorChain Of(params string[] actors)
    {
        ArgumentNullException.ThrowIfNull(actors);
        foreach (var actor in actors)
        {
            ArgumentException.ThrowIfNullOrEmpty(actor, nameof(actors));
        }

        return actors.Length == 0 ? Empty : new ActorChain((string[])actors.Clone());
    }

    /// <summary>
    /// Reads the JSON text of an <c>act</c> claim. Each level must be a JSON object with a non-empty string
    /// <c>sub</c>; other members (such as <c>iss</c>) are ignored. Returns <see langword="false"/> for anything else,
    /// including nesting deeper than <see cref="MaxReadableDepth"/>.
    /// </summary>
    /// <param name="actClaimJson">The claim's JSON text; <see langword="null"/> or empty gives <see cref="Empty"/>.</param>
    /// <param name="chain">The chain read.</param>
    public static bool TryParse(string? actClaimJson, out ActorChain chain)
    {
        chain = Empty;
        if (string.IsNullOrEmpty(actClaimJson))
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(actClaimJson, new JsonDocumentOptions { MaxDepth = MaxReadableDepth + 1 });
            var actors = new List<string>();
            var level = document.RootElement;
            while (true)
            {
                if (level.ValueKind != JsonValueKind.Object || actors.Count == MaxReadableDepth ||
                    !level.TryGetProperty("sub", out var subject) || subject.ValueKind != JsonValueKind.String ||
                    subject.GetString() is not { Length: > 0 } actor)
                {
                    return false;
                }

                actors.Add(actor);
                if (!level.TryGetProperty("act", out var nested))
                {
                    break;
                }

                level = nested;
            }

            chain = new ActorChain([.. actors]);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The chain with <paramref name="actor"/> added as the new most recent actor.</summary>
    /// <param name="actor">The party now acting (for example this agent, exchanging the token again).</param>
    public ActorChain Prepend(string actor)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        return new ActorChain([actor, .. _actors]);
    }

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_actors).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => _actors.GetEnumerator();

    /// <inheritdoc />
    public bool Equals(ActorChain? other) =>
        other is not null && _actors.AsSpan().SequenceEqual(other._actors, StringComparer.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ActorChain);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var actor in _actors)
        {
            hash.Add(actor, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>The actors, most recent first, separated by <c>" &lt; "</c> (read: "acting for"); <c>-</c> when empty.</summary>
    public override string ToString() => _actors.Length == 0 ? "-" : string.Join(" < ", _actors);
}
