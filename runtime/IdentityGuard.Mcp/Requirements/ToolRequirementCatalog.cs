using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace IdentityGuard.Mcp.Requirements;

/// <summary>
/// The requirements of every tool, read once from the tools' attributes and checked against the manifest: a tool that
/// acts with a provider the manifest does not declare (or with bits its enum does not have) fails start-up.
/// </summary>
public sealed class ToolRequirementCatalog
{
    private readonly IServiceProvider _services;
    private readonly Lazy<IReadOnlyDictionary<string, ToolRequirements>> _byName;
    private readonly ConcurrentDictionary<McpServerTool, ToolRequirements> _byTool = new();

    /// <summary>Creates the catalog over the server's registered tools.</summary>
    public ToolRequirementCatalog(IServiceProvider services)
    {
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _byName = new Lazy<IReadOnlyDictionary<string, ToolRequirements>>(Build);
    }

    /// <summary>The requirements of every registered tool, by tool name.</summary>
    public IReadOnlyDictionary<string, ToolRequirements> All => _byName.Value;

    /// <summary>The requirements of the tool named <paramref name="name"/>; none for a tool the catalog does not know.</summary>
    public ToolRequirements For(string? name) =>
        name is not null && _byName.Value.TryGetValue(name, out var requirements) ? requirements : ToolRequirements.None;

    /// <summary>The requirements of <paramref name="tool"/>, which may have been added after start (read from its metadata).</summary>
    public ToolRequirements For(McpServerTool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return _byName.Value.TryGetValue(tool.ProtocolTool.Name, out var known)
            ? known
            : _byTool.GetOrAdd(tool, static (t, catalog) => catalog.Validated(t), this);
    }

    /// <summary>Every inbound scope some tool requires.</summary>
    public IEnumerable<string> InboundScopes => All.Values.SelectMany(requirements => requirements.InboundScopes).Distinct(StringComparer.Ordinal);

    private Dictionary<string, ToolRequirements> Build()
    {
        var tools = _services.GetService<IOptions<McpServerOptions>>()?.Value.ToolCollection;
        var result = new Dictionary<string, ToolRequirements>(StringComparer.Ordinal);
        if (tools is null)
        {
            return result;
        }

        foreach (var tool in tools)
        {
            result[tool.ProtocolTool.Name] = Validated(tool);
        }

        return result;
    }

    private ToolRequirements Validated(McpServerTool tool)
    {
        var requirements = ToolRequirements.From(tool.Metadata);
        if (!requirements.DeclaresCredentials)
        {
            return requirements;
        }

        var manifest = _services.GetService<CredentialProviderRegistry>()?.Manifest
            ?? throw new InvalidOperationException($"Tool '{tool.ProtocolTool.Name}' acts with a credential provider, but IdentityGuard's providers are not registered: call services.AddIdentityGuard(configuration).");
        foreach (var credential in requirements.Credentials)
        {
            var provider = manifest.Find(credential.Provider);
            if (provider is null || provider.Kind != CredentialKind.OAuth2)
            {
                throw new InvalidOperationException($"Tool '{tool.ProtocolTool.Name}' acts with {credential.ScopesType.Name}, but the manifest of workload '{manifest.Workload}' declares no OAuth 2.0 provider '{credential.Provider}'.");
            }

            var declared = provider.Scopes.Count >= 64 ? ulong.MaxValue : (1UL << provider.Scopes.Count) - 1;
            if ((credential.ScopeMask & ~declared) != 0)
            {
                throw new InvalidOperationException($"Tool '{tool.ProtocolTool.Name}' acts with scopes of {credential.ScopesType.Name} that provider '{credential.Provider}' does not declare.");
            }
        }

        foreach (var apiKey in requirements.ApiKeys)
        {
            if (manifest.Find(apiKey) is not { Kind: CredentialKind.ApiKey })
            {
                throw new InvalidOperationException($"Tool '{tool.ProtocolTool.Name}' acts with the API key of '{apiKey}', but the manifest of workload '{manifest.Workload}' declares no API-key provider of that name.");
            }
        }

        return requirements;
    }

    /// <summary>The scope strings of <paramref name="credential"/>, from the manifest.</summary>
    internal IReadOnlyList<string> ScopeValues(ProviderScopes credential)
    {
        var provider = _services.GetRequiredService<CredentialProviderRegistry>().Manifest.Find(credential.Provider);
        if (provider is null)
        {
            return [];
        }

        var values = new List<string>();
        for (var bit = 0; bit < provider.Scopes.Count; bit++)
        {
            if ((credential.ScopeMask & (1UL << bit)) != 0)
            {
                values.Add(provider.Scopes[bit].Value);
            }
        }

        return values;
    }
}
