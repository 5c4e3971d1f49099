namespace IdentityGuard.Scrubbing;

/// <summary>Why a span of text was taken for a credential.</summary>
internal enum FindingKind
{
    /// <summary>A value the process holds, as issued.</summary>
    HeldValue,

    /// <summary>A held value inside a base64 or base64url encoding.</summary>
    HeldValueEncoded,

    /// <summary>A known credential format (the IG0001 catalog: JWTs, vendor keys, …).</summary>
    KnownFormat,

    /// <summary>The credential of an HTTP <c>Authorization</c> header, or of a token field such as <c>access_token</c>.</summary>
    CredentialContext,

    /// <summary>The text could not be searched in time, so all of it is withheld.</summary>
    Unsearchable,
}

/// <summary>A span to redact and what it was; <see cref="Format"/> is a format id for known formats. Never the value.</summary>
internal readonly record struct Finding(int Start, int Length, FindingKind Kind, string? Provider, string? Format)
{
    public int End => Start + Length;
}
