using System;
using System.Collections.Generic;
using IdentityGuard.Scrubbing;

namespace IdentityGuard.Tests.Scrubbing;

/// <summary>
/// The scrubber's former search, kept as an oracle: text with a backslash or a percent sign is decoded whole, up to
/// three levels, and every level is searched again whole for held values and shapes. Slow but plainly complete;
/// the windowed search must find exactly what this finds. Also compiled into the benchmarks as the "before".
/// </summary>
internal static class WholeTextReferenceScrubber
{
    public static string Scrub(string text, HeldSnapshot snapshot, DateTimeOffset now, Tally tally)
    {
        if (text.Length < HeldCredentials.MinimumLength)
        {
            return text;
        }

        List<Finding>? findings = null;
        if (!Search(text, snapshot, now, ref findings))
        {
            return Unsearchable(text, tally);
        }

        if (DecodedView.MayHaveEscapes(text))
        {
            foreach (var view in DecodedView.DecodeLevels(text))
            {
                List<Finding>? decoded = null;
                if (!Search(view.Text, snapshot, now, ref decoded))
                {
                    return Unsearchable(text, tally);
                }

                foreach (var finding in decoded ?? [])
                {
                    var (start, end) = view.ToOriginal(finding.Start, finding.End);
                    (findings ??= []).Add(finding with { Start = start, Length = end - start });
                }
            }
        }

        return findings is null ? text : CredentialScrubber.Redact(text, findings, tally);
    }

    private static bool Search(string text, HeldSnapshot snapshot, DateTimeOffset now, ref List<Finding>? findings)
    {
        snapshot.FindAll(text, now, ref findings);
        return CredentialShapes.FindAll(text, ref findings);
    }

    private static string Unsearchable(string text, Tally tally)
    {
        tally.AddRun([new Finding(0, text.Length, FindingKind.Unsearchable, null, null)], 0, 1);
        return CredentialScrubber.Marker;
    }
}
