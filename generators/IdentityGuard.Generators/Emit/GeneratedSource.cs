namespace IdentityGuard.Generators.Emit;

/// <summary>One generated file: its hint name and text, compared by value so unchanged output is cached.</summary>
internal sealed record GeneratedSource(string HintName, string Text);
