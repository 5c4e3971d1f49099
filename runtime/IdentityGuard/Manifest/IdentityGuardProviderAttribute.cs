using System;
using System.ComponentModel;

namespace IdentityGuard.Manifest;

/// <summary>
/// Marks a type or method that the IdentityGuard generator produced for one provider of <c>identityguard.json</c>:
/// its scope enum, accessor interface and class, and its <c>With…Token</c> / <c>With…ApiKey</c> method. The
/// IdentityGuard analyzers read it to know which provider, kind and flow a call belongs to; nothing at run time
/// reads it. Not meant to be written by hand.
/// </summary>
/// <remarks>
/// The values are the manifest's own words (<c>oauth2</c>, <c>apiKey</c>; <c>m2m</c>, <c>userFederation</c>,
/// <c>onBehalfOf</c>), so the generator that writes them and the analyzers that read them share one vocabulary.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface | AttributeTargets.Enum | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class IdentityGuardProviderAttribute : Attribute
{
    /// <summary>Marks a generated member of provider <paramref name="name"/>.</summary>
    /// <param name="name">The provider name, as declared under <c>providers</c>.</param>
    /// <param name="kind">The manifest's <c>kind</c>: <c>oauth2</c> or <c>apiKey</c>.</param>
    public IdentityGuardProviderAttribute(string name, string kind)
    {
        Name = name;
        Kind = kind;
    }

    /// <summary>The provider name, as declared under <c>providers</c>.</summary>
    public string Name { get; }

    /// <summary>The manifest's <c>kind</c>: <c>oauth2</c> or <c>apiKey</c>.</summary>
    public string Kind { get; }

    /// <summary>The manifest's <c>flow</c> of an OAuth 2.0 provider (<c>m2m</c>, <c>userFederation</c>, <c>onBehalfOf</c>); <see langword="null"/> for an API key.</summary>
    public string? Flow { get; set; }
}
