using System;

namespace IdentityGuard.Mcp.Requirements;

/// <summary>
/// Declares a manifest credential provider, and the scopes of it, that a tool acts with. Use the generic
/// <see cref="ActsWithAttribute{TScopes}"/> with the provider's generated scope enum.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public abstract class ActsWithAttribute : Attribute
{
    private protected ActsWithAttribute(Type scopesType, ulong scopeMask)
    {
        ScopesType = scopesType;
        ScopeMask = scopeMask;
    }

    /// <summary>The generated scope enum, <c>&lt;Provider&gt;Scopes</c>.</summary>
    public Type ScopesType { get; }

    /// <summary>The scopes as the enum's bits.</summary>
    public ulong ScopeMask { get; }

    /// <summary>The provider's name in the manifest: the enum's name without its <c>Scopes</c> suffix.</summary>
    public string Provider => ScopesType.Name.EndsWith("Scopes", StringComparison.Ordinal) && ScopesType.Name.Length > "Scopes".Length
        ? ScopesType.Name[..^"Scopes".Length]
        : ScopesType.Name;
}

/// <summary>
/// The tool acts with the manifest provider whose generated scope enum is <typeparamref name="TScopes"/>, with
/// <c>scopes</c>: for example <c>[ActsWith&lt;CrmScopes&gt;(CrmScopes.NotesRead)]</c>. Since the enum holds exactly the
/// scopes the manifest declares, an undeclared scope does not compile. Before the tool runs, a token for these
/// scopes must be available for the caller: without the user's grant, the call ends with a URL-mode elicitation
/// for her consent instead of running the tool halfway.
/// </summary>
/// <typeparam name="TScopes">The provider's generated <c>[Flags]</c> scope enum.</typeparam>
public sealed class ActsWithAttribute<TScopes> : ActsWithAttribute
    where TScopes : struct, Enum
{
    /// <summary>Declares the scopes the tool acts with.</summary>
    /// <param name="scopes">The provider's scopes, combined with <c>|</c>.</param>
    public ActsWithAttribute(TScopes scopes)
        : base(typeof(TScopes), Convert.ToUInt64(scopes, System.Globalization.CultureInfo.InvariantCulture))
    {
        Scopes = scopes;
    }

    /// <summary>The scopes.</summary>
    public TScopes Scopes { get; }
}
