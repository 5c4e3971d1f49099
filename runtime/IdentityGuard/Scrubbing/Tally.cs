using System;
using System.Collections.Generic;

namespace IdentityGuard.Scrubbing;

/// <summary>What one scrub call redacted, grouped by provider, for its audit events. Holds no value.</summary>
internal sealed class Tally
{
    private List<Group>? _groups;

    /// <summary>How many spans were redacted (overlapping findings count once).</summary>
    public int Count { get; private set; }

    public IReadOnlyList<Group> Groups => (IReadOnlyList<Group>?)_groups ?? Array.Empty<Group>();

    /// <summary>Counts one redacted run made of <paramref name="findings"/>[from..to).</summary>
    public void AddRun(List<Finding> findings, int from, int to)
    {
        string? provider = null;
        for (var i = from; i < to && provider is null; i++)
        {
            provider = findings[i].Provider;
        }

        Count++;
        _groups ??= [];
        var group = _groups.Find(g => string.Equals(g.Provider, provider, StringComparison.Ordinal));
        if (group is null)
        {
            group = new Group(provider);
            _groups.Add(group);
        }

        group.Count++;
        for (var i = from; i < to; i++)
        {
            var kind = Describe(findings[i]);
            if (!group.Kinds.Contains(kind))
            {
                group.Kinds.Add(kind);
            }
        }
    }

    private static string Describe(Finding finding) => finding.Kind switch
    {
        FindingKind.HeldValue => "held value",
        FindingKind.HeldValueEncoded => "held value in base64",
        FindingKind.KnownFormat => "known format " + finding.Format,
        FindingKind.CredentialContext => "authorization header or token field",
        _ => "text could not be searched in time",
    };

    internal sealed class Group(string? provider)
    {
        public string? Provider { get; } = provider;

        public int Count { get; set; }

        public List<string> Kinds { get; } = [];
    }
}
