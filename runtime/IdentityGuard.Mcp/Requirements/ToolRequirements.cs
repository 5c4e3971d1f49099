using System;
using System.Collections.Generic;
using System.Linq;
using IdentityGuard.Authorization;

namespace IdentityGuard.Mcp.Requirements;

/// <summary>
/// What one tool requires: inbound scopes of the caller's token, and the provider scopes (and API keys) it acts with,
/// which are also the only credentials it gets while it runs.
/// </summary>
public sealed class ToolRequirements
{
    /// <summary>A tool that requires nothing.</summary>
    public static ToolRequirements None { get; } = new([], [], []);

    /// <summary>Creates requirements.</summary>
    /// <param name="inboundScopes">Scopes the caller's token must carry.</param>
    /// <param name="credentials">Provider scopes the tool acts with.</param>
    public ToolRequirements(IReadOnlyList<string> inboundScopes, IReadOnlyList<ProviderScopes> credentials)
        : this(inboundScopes, credentials, [])
    {
    }

    /// <summary>Creates requirements that include API keys.</summary>
    /// <param name="inboundScopes">Scopes the caller's token must carry.</param>
    /// <param name="credentials">Provider scopes the tool acts with.</param>
    /// <param name="apiKeys">API-key providers the tool uses.</param>
    public ToolRequirements(IReadOnlyList<string> inboundScopes, IReadOnlyList<ProviderScopes> credentials, IReadOnlyList<string> apiKeys)
    {
        InboundScopes = inboundScopes ?? throw new ArgumentNullException(nameof(inboundScopes));
        Credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        ApiKeys = apiKeys ?? throw new ArgumentNullException(nameof(apiKeys));
    }

    /// <summary>Scopes the caller's token must carry, in declaration order, without duplicates.</summary>
    public IReadOnlyList<string> InboundScopes { get; }

    /// <summary>The provider scopes the tool acts with, one entry per provider.</summary>
    public IReadOnlyList<ProviderScopes> Credentials { get; }

    /// <summary>The API-key providers the tool uses (<see cref="ActsWithApiKeyAttribute"/>), without duplicates.</summary>
    public IReadOnlyList<string> ApiKeys { get; }

    /// <summary>Whether the tool declares any credential (<c>ActsWith</c> or <c>ActsWithApiKey</c>).</summary>
    public bool DeclaresCredentials => Credentials.Count > 0 || ApiKeys.Count > 0;

    /// <summary>Whether the tool requires anything at all.</summary>
    public bool IsEmpty => InboundScopes.Count == 0 && !DeclaresCredentials;

    /// <summary>The inbound scopes <paramref name="caller"/> lacks; empty when it may call the tool.</summary>
    public IReadOnlyList<string> MissingScopes(VerifiedCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        List<string>? missing = null;
        foreach (var scope in InboundScopes)
        {
            if (!caller.HasScope(scope))
            {
                (missing ??= []).Add(scope);
            }
        }

        return (IReadOnlyList<string>?)missing ?? Array.Empty<string>();
    }

    /// <summary>Reads the requirements declared on a tool's method and class (the tool's metadata).</summary>
    public static ToolRequirements From(IEnumerable<object> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var items = metadata as IReadOnlyCollection<object> ?? metadata.ToArray();
        var scopes = items.OfType<RequireScopesAttribute>().SelectMany(attribute => attribute.Scopes).Distinct(StringComparer.Ordinal).ToArray();
        var credentials = items.OfType<ActsWithAttribute>()
            .GroupBy(attribute => attribute.ScopesType)
            .Select(group => new ProviderScopes(group.First().Provider, group.Key, group.Aggregate(0UL, (mask, attribute) => mask | attribute.ScopeMask)))
            .ToArray();
        var apiKeys = items.OfType<ActsWithApiKeyAttribute>().Select(attribute => attribute.Provider).Distinct(StringComparer.Ordinal).ToArray();
        return scopes.Length == 0 && credentials.Length == 0 && apiKeys.Length == 0 ? None : new ToolRequirements(scopes, credentials, apiKeys);
    }
}

/// <summary>A manifest provider and the scopes of it that a tool acts with.</summary>
/// <param name="Provider">The provider's name in the manifest.</param>
/// <param name="ScopesType">The provider's generated scope enum.</param>
/// <param name="ScopeMask">The scopes, as the enum's bits.</param>
public sealed record ProviderScopes(string Provider, Type ScopesType, ulong ScopeMask);
