using System.Collections.Immutable;

namespace IdentityGuard.Analyzers.Scopes;

/// <summary>How much wider than needed a scope is, which decides the rule that reports it.</summary>
internal enum ScopeBreadth
{
    /// <summary>Administrative, tenant- or organization-wide, or "everything" access (IG0100, IG0101).</summary>
    Broad,

    /// <summary>Read-write access to the user's own data where a read-only scope exists (IG0103, a suggestion).</summary>
    ReadWrite,
}

/// <summary>Whom a token is requested for: some scopes are only too broad when a user's data is at stake.</summary>
internal enum RequestContext
{
    /// <summary>Not known (a custom token request, a manifest provider without a flow).</summary>
    Unknown,

    /// <summary>For a signed-in user, after their consent: the manifest's <c>userFederation</c> flow, and other libraries' authorization code, interactive, silent and device-code requests.</summary>
    Delegated,

    /// <summary>For the calling user, by token exchange (on-behalf-of, RFC 8693).</summary>
    OnBehalfOf,

    /// <summary>For the application itself: the manifest's <c>m2m</c> flow (the client-credentials grant).</summary>
    M2M,
}

/// <summary>
/// One row of the scope catalog: a scope (or a family of scopes) that grants more than most tasks need, why,
/// and the narrower scopes to ask for instead. Alternatives are written the way the vendor spells them; for a
/// family, <c>{0}</c> in an alternative stands for the part of the scope the family matched.
/// </summary>
/// <param name="Vendor">The vendor name as the manifest's <c>vendor</c> field spells it (<c>google</c>, <c>microsoft</c>, …), or <c>*</c> for every vendor.</param>
/// <param name="Prefix">For an exact row, the whole scope; for a family, what the scope starts with.</param>
/// <param name="Suffix">For a family, what the scope ends with (may be empty); <see langword="null"/> for an exact row.</param>
/// <param name="Breadth">Which rule reports it.</param>
/// <param name="Distinctive">Whether the scope's spelling alone names its vendor (a googleapis URL, a Graph permission name), so it is checked where the vendor is not known; plain words such as <c>repo</c> or <c>full</c> are only checked for their vendor.</param>
/// <param name="Reason">What the scope grants, as the end of "'scope' …" (e.g. "grants read and write access to every file in the user's Drive").</param>
/// <param name="Alternatives">Narrower scopes, best first; empty when none is a drop-in.</param>
/// <param name="DelegatedOnly">Reported only when the token is requested for a signed-in user (<see cref="RequestContext.Delegated"/>).</param>
internal sealed record BroadScope(
    string Vendor,
    string Prefix,
    string? Suffix,
    ScopeBreadth Breadth,
    bool Distinctive,
    string Reason,
    ImmutableArray<string> Alternatives,
    bool DelegatedOnly = false)
{
    public bool IsFamily => Suffix is not null;
}

/// <summary>A catalog match for one scope as written: the row and the alternatives spelled like the scope (same URL prefix).</summary>
internal readonly struct ScopeFinding
{
    public ScopeFinding(BroadScope entry, ImmutableArray<string> alternatives)
    {
        Entry = entry;
        Alternatives = alternatives;
    }

    public BroadScope Entry { get; }

    public ImmutableArray<string> Alternatives { get; }

    /// <summary>"request 'a' or 'b' instead", for messages.</summary>
    public string Suggestion()
    {
        if (Alternatives.IsDefaultOrEmpty)
        {
            return "request only the specific permissions the task needs";
        }

        var builder = new System.Text.StringBuilder("request ");
        for (var i = 0; i < Alternatives.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(i == Alternatives.Length - 1 ? " or " : ", ");
            }

            builder.Append('\'').Append(Alternatives[i]).Append('\'');
        }

        return builder.Append(" instead").ToString();
    }
}
