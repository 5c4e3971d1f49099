using System;
using System.Collections.Generic;
using System.Threading;

namespace IdentityGuard.Demo.BusinessApis;

/// <summary>The documents API's briefs, in memory; identifiers count up from <c>brief-1</c> so runs are repeatable.</summary>
internal sealed class BriefStore
{
    private readonly Lock _gate = new();
    private readonly List<Brief> _briefs = [];

    public Brief Add(BriefDraft draft, string author)
    {
        lock (_gate)
        {
            var brief = new Brief("brief-" + (_briefs.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                draft.ClientId, draft.Title, draft.Content, author);
            _briefs.Add(brief);
            return brief;
        }
    }

    public Brief? Find(string id)
    {
        lock (_gate)
        {
            return _briefs.Find(brief => string.Equals(brief.Id, id, StringComparison.Ordinal));
        }
    }

    public IReadOnlyList<Brief> Snapshot()
    {
        lock (_gate)
        {
            return _briefs.ToArray();
        }
    }
}
