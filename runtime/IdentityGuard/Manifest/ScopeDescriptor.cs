namespace IdentityGuard.Manifest;

/// <summary>A scope declared for a provider: its C# name in the generated enum and the value sent to the server.</summary>
/// <param name="Name">The member name in the generated scope enum, e.g. <c>NotesRead</c>.</param>
/// <param name="Value">The OAuth scope string, e.g. <c>crm.notes.read</c>.</param>
public sealed record ScopeDescriptor(string Name, string Value);
