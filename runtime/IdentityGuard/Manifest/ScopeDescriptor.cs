using System.ComponentModel;

namespace IdentityGuard.Manifest;

/// <summary>A scope declared for a provider: its C# name in the generated enum and the value sent to the server.</summary>
/// <param name="Name">The member name in the generated scope enum, e.g. <c>NotesRead</c>.</param>
/// <param name="Value">The OAuth scope string, e.g. <c>crm.notes.read</c>.</param>
/// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code uses the generated accessors and <c>With&lt;Provider&gt;Token</c>/<c>With&lt;Provider&gt;ApiKey</c> methods instead.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record ScopeDescriptor(string Name, string Value);
