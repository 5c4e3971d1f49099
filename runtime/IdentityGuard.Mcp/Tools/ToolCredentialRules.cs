using System;
using System.Collections.Generic;
using System.Linq;
using IdentityGuard.Manifest;
using IdentityGuard.Mcp.Requirements;
using IdentityGuard.Providers;

namespace IdentityGuard.Mcp.Tools;

/// <summary>
/// The credentials one tool declared, as the bits and API-key providers its <see cref="ToolCredentialPolicy"/>
/// permits while it runs. Built once per tool from its <see cref="ToolRequirements"/> and the manifest.
/// </summary>
internal sealed class ToolCredentialRules
{
    private readonly Declared[] _tokens;
    private readonly string[] _apiKeys;
    private readonly CredentialManifest? _manifest;

    private ToolCredentialRules(Declared[] tokens, string[] apiKeys, CredentialManifest? manifest)
    {
        _tokens = tokens;
        _apiKeys = apiKeys;
        _manifest = manifest;
    }

    public static ToolCredentialRules For(ToolRequirements requirements, CredentialManifest? manifest) => new(
        requirements.Credentials.Select(credential => new Declared(credential.Provider, credential.ScopeMask)).ToArray(),
        requirements.ApiKeys.ToArray(),
        manifest);

    /// <summary>Whether the declarations cover <paramref name="request"/>. Allocates nothing for requests by scope bits or for API keys.</summary>
    public bool Permits(in CredentialRequest request)
    {
        if (request.Kind == CredentialKind.ApiKey)
        {
            return Array.IndexOf(_apiKeys, request.Provider) >= 0;
        }

        var permitted = PermittedMask(request.Provider);
        var (requested, unknown) = Requested(request);
        return unknown.Count == 0 && (requested & ~permitted) == 0;
    }

    /// <summary>The declaration that would permit <paramref name="request"/>, and what was asked for, for the refusal's message.</summary>
    public (string Declaration, string Detail, IReadOnlyList<string> Scopes) Describe(in CredentialRequest request)
    {
        if (request.Kind == CredentialKind.ApiKey)
        {
            return ($"[ActsWithApiKey(\"{request.Provider}\")]", "it asked for the provider's API key", []);
        }

        var descriptor = _manifest?.Find(request.Provider);
        var (requested, unknown) = Requested(request);
        var asked = ScopeValues(descriptor, requested).Concat(unknown).ToArray();
        var missing = requested & ~PermittedMask(request.Provider);
        var enumName = request.Provider + "Scopes";
        var members = descriptor is null
            ? []
            : Enumerable.Range(0, descriptor.Scopes.Count).Where(bit => (missing & (1UL << bit)) != 0).Select(bit => enumName + "." + descriptor.Scopes[bit].Name).ToArray();
        var declaration = members.Length > 0 ? $"[ActsWith<{enumName}>({string.Join(" | ", members)})]" : string.Empty;
        if (unknown.Count > 0)
        {
            var undeclared = $"scope(s) {string.Join(' ', unknown)} in identityguard.json (provider '{request.Provider}') and in the tool's ActsWith<{enumName}>";
            declaration = declaration.Length == 0 ? undeclared : declaration + " and " + undeclared;
        }

        var detail = request.WholeGrant
            ? "it read the user's whole stored grant, " + (asked.Length == 0 ? "every scope of it" : "scope(s) " + string.Join(' ', asked))
            : "it asked for " + (asked.Length == 0 ? "the client's default scopes" : "scope(s) " + string.Join(' ', asked));
        return (declaration, detail, asked);
    }

    private ulong PermittedMask(string provider)
    {
        foreach (var declared in _tokens)
        {
            if (string.Equals(declared.Provider, provider, StringComparison.Ordinal))
            {
                return declared.ScopeMask;
            }
        }

        return 0;
    }

    /// <summary>
    /// The scopes asked for as bits of the manifest's scopes, and any scope value the manifest does not declare. The
    /// client's default scopes (mask zero) and a whole grant count as every scope the provider declares: the
    /// authorization server or the user may have granted any of them.
    /// </summary>
    private (ulong Mask, IReadOnlyList<string> Unknown) Requested(in CredentialRequest request)
    {
        var descriptor = _manifest?.Find(request.Provider);
        var all = descriptor is null ? ulong.MaxValue : descriptor.Scopes.Count >= 64 ? ulong.MaxValue : (1UL << descriptor.Scopes.Count) - 1;
        if (request.WholeGrant)
        {
            return (all, []);
        }

        if (request.ScopeValues is not { } values)
        {
            return (request.ScopeMask == 0 ? all : request.ScopeMask, []);
        }

        var mask = 0UL;
        List<string>? unknown = null;
        foreach (var value in values)
        {
            var bit = -1;
            for (var i = 0; descriptor is not null && i < descriptor.Scopes.Count; i++)
            {
                if (string.Equals(descriptor.Scopes[i].Value, value, StringComparison.Ordinal))
                {
                    bit = i;
                    break;
                }
            }

            if (bit < 0)
            {
                (unknown ??= []).Add(value);
            }
            else
            {
                mask |= 1UL << bit;
            }
        }

        return (mask == 0 && unknown is null ? all : mask, (IReadOnlyList<string>?)unknown ?? []);
    }

    private static IEnumerable<string> ScopeValues(ProviderDescriptor? descriptor, ulong mask) =>
        descriptor is null ? [] : Enumerable.Range(0, descriptor.Scopes.Count).Where(bit => (mask & (1UL << bit)) != 0).Select(bit => descriptor.Scopes[bit].Value);

    private readonly record struct Declared(string Provider, ulong ScopeMask);
}
