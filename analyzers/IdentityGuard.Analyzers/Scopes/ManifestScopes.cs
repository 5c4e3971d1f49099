using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using IdentityGuard.ManifestContract;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.Analyzers.Scopes;

/// <summary>One provider's scope-relevant facts from the manifest.</summary>
/// <param name="Name">The provider name (a key of <c>providers</c>).</param>
/// <param name="Vendor">The <c>vendor</c> field, or <see langword="null"/> when absent or not a string.</param>
/// <param name="Context">What the <c>flow</c> field says the tokens are for.</param>
/// <param name="Scopes">The string values of <c>scopes</c>, in manifest order.</param>
internal sealed class ProviderScopes
{
    private HashSet<string>? _values;

    public ProviderScopes(string name, string? vendor, RequestContext context, EquatableArray<ScopeDeclaration> scopes)
    {
        Name = name;
        Vendor = vendor;
        Context = context;
        Scopes = scopes;
    }

    public string Name { get; }

    public string? Vendor { get; }

    public RequestContext Context { get; }

    public EquatableArray<ScopeDeclaration> Scopes { get; }

    /// <summary>Whether the provider declares <paramref name="scope"/> (compared exactly, as the runtime does).</summary>
    public bool Declares(string scope)
    {
        var values = _values;
        if (values is null)
        {
            values = new HashSet<string>(StringComparer.Ordinal);
            foreach (var declared in Scopes)
            {
                values.Add(declared.Value);
            }

            _values = values;
        }

        return values.Contains(scope);
    }
}

/// <summary>
/// The providers and scopes of <c>identityguard.json</c> as the shared manifest reader declares them
/// (<see cref="ManifestReader"/>, the generator's own reader, compiled into this assembly from
/// <c>shared/ManifestContract</c>), each scope with its exact line and column. A provider with unrelated errors is
/// kept: a broad scope is worth reporting even while the file has other mistakes (which the generator reports as
/// IG1xxx). A file that is not JSON at all yields no providers, never an exception.
/// </summary>
/// <remarks>
/// Parsed once per manifest text: the result is cached by <see cref="SourceText"/> instance, which the compiler and the
/// IDE keep as long as the file is unchanged, so both scope analyzers and every compilation of an unchanged
/// manifest share one parse.
/// </remarks>
internal sealed class ManifestScopes
{
    private static readonly ConditionalWeakTable<SourceText, ManifestScopes> Cache = new();

    private readonly Dictionary<string, ProviderScopes> _byName;

    private ManifestScopes(string path, SourceText text, ImmutableArray<ProviderScopes> providers)
    {
        Path = path;
        Text = text;
        Providers = providers;
        // Provider names must differ in more than letter case (the generator enforces it), and the runtime looks them up ignoring case.
        _byName = new Dictionary<string, ProviderScopes>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in providers)
        {
            if (!_byName.ContainsKey(provider.Name))
            {
                _byName.Add(provider.Name, provider);
            }
        }
    }

    public string Path { get; }

    public SourceText Text { get; }

    public ImmutableArray<ProviderScopes> Providers { get; }

    public ProviderScopes? Find(string provider) => _byName.TryGetValue(provider, out var found) ? found : null;

    public Location LocationOf(TextSpan span) => Location.Create(Path, span, Text.Lines.GetLinePositionSpan(span));

    /// <summary>The manifest among the compilation's additional files, parsed (or <see langword="null"/> when there is none).</summary>
    public static ManifestScopes? Get(ImmutableArray<AdditionalText> additionalFiles, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var file in additionalFiles)
        {
            if (ManifestFile.IsManifest(file.Path))
            {
                return Get(file, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>One manifest file, parsed once per text.</summary>
    public static ManifestScopes? Get(AdditionalText file, System.Threading.CancellationToken cancellationToken)
    {
        if (file.GetText(cancellationToken) is not { } text)
        {
            return null;
        }

        var path = file.Path;
        var parsed = Cache.GetValue(text, t => Parse(path, t));
        // The same text under another path (a linked file) must still report at its own path.
        return parsed.Path == path ? parsed : Parse(path, text);
    }

    /// <summary>What a token of the provider is for, from the manifest's flow (one mapping, here).</summary>
    public static RequestContext ContextOf(ProviderFlow? flow) => flow switch
    {
        ProviderFlow.M2M => RequestContext.M2M,
        ProviderFlow.UserFederation => RequestContext.Delegated,
        ProviderFlow.OnBehalfOf => RequestContext.OnBehalfOf,
        _ => RequestContext.Unknown,
    };

    private static ManifestScopes Parse(string path, SourceText text)
    {
        var read = ManifestReader.Read(path, text.ToString(), System.Threading.CancellationToken.None);
        var providers = ImmutableArray.CreateBuilder<ProviderScopes>(read.Declarations.Count);
        foreach (var declared in read.Declarations)
        {
            providers.Add(new ProviderScopes(declared.Name, declared.Vendor, ContextOf(declared.Flow), declared.Scopes));
        }

        return new ManifestScopes(path, text, providers.MoveToImmutable());
    }
}
