using IdentityGuard.Scanner.Cli;

namespace IdentityGuard.Scanner.Analysis;

/// <summary>
/// One rule result. Holds only what the rule's message and location say: the rules never put a credential in a
/// message, and the scanner never copies source text (no snippets), so no token value can reach the output.
/// </summary>
/// <param name="RuleId">The IG rule.</param>
/// <param name="Severity">The level after the project's own configuration (.editorconfig, NoWarn, WarningsAsErrors).</param>
/// <param name="Message">The rule's message.</param>
/// <param name="FilePath">The full path of the file (a .cs file or a JSON file the rules read).</param>
/// <param name="StartLine">1-based.</param>
/// <param name="StartColumn">1-based, in UTF-16 code units.</param>
/// <param name="EndLine">1-based.</param>
/// <param name="EndColumn">1-based, exclusive.</param>
/// <param name="Suppressed">Silenced in source (#pragma or [SuppressMessage]): reported, never counted against the threshold.</param>
internal sealed record Finding(
    string RuleId,
    Severity Severity,
    string Message,
    string FilePath,
    int StartLine,
    int StartColumn,
    int EndLine,
    int EndColumn,
    bool Suppressed);
