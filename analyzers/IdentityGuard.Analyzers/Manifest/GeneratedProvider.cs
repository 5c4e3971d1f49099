using IdentityGuard.ManifestContract;
using Microsoft.CodeAnalysis;

namespace IdentityGuard.Analyzers.Manifest;

/// <summary>
/// The manifest provider a generated type or method belongs to, read from the <c>[IdentityGuardProvider]</c>
/// attribute the generator puts on it (<see cref="ManifestVocabulary.ProviderAttributeMetadataName"/>): the provider
/// name, kind and flow in the manifest's own words, parsed with the same vocabulary the generator wrote them with.
/// </summary>
/// <remarks>
/// Reading the attribute instead of taking generated names apart means a renamed or hand-written type that merely
/// looks generated is not mistaken for one, and the facts are exactly those the generator compiled (vendors and
/// defaults resolved), whether the generated code is in this compilation or a referenced assembly.
/// </remarks>
internal sealed class GeneratedProvider
{
    private GeneratedProvider(string name, ProviderKind kind, ProviderFlow? flow)
    {
        Name = name;
        Kind = kind;
        Flow = flow;
    }

    public string Name { get; }

    public ProviderKind Kind { get; }

    /// <summary>The OAuth flow; <see langword="null"/> for an API key.</summary>
    public ProviderFlow? Flow { get; }

    /// <summary>
    /// The provider <paramref name="symbol"/> was generated for, or <see langword="null"/> when it carries no
    /// well-formed attribute (<paramref name="attributeType"/> is the resolved attribute; <see langword="null"/> when the
    /// compilation does not reference the runtime, and then nothing is generated code).
    /// </summary>
    public static GeneratedProvider? Of(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return null;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                continue;
            }

            var arguments = attribute.ConstructorArguments;
            if (arguments.Length != 2
                || arguments[0].Value is not string name
                || !ManifestVocabulary.TryParseKind(arguments[1].Value as string, out var kind))
            {
                return null;
            }

            ProviderFlow? flow = null;
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "Flow" && ManifestVocabulary.TryParseFlow(named.Value.Value as string, out var parsed))
                {
                    flow = parsed;
                }
            }

            return new GeneratedProvider(name, kind, flow);
        }

        return null;
    }
}
