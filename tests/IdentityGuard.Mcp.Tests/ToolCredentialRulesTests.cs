using System;
using System.Threading.Tasks;
using IdentityGuard.Manifest;
using IdentityGuard.Mcp.Requirements;
using IdentityGuard.Mcp.Tools;
using IdentityGuard.Providers;
using McpCrmServer;
using ModelContextProtocol.Server;
using Xunit;

namespace IdentityGuard.Mcp.Tests;

/// <summary>What a tool's declarations permit, request by request.</summary>
public sealed class ToolCredentialRulesTests
{
    private static readonly CredentialManifest s_manifest = new("mcp-crm-server",
    [
        new ProviderDescriptor("Crm", CredentialKind.OAuth2) { Scopes = [new ScopeDescriptor("NotesRead", "crm.notes.read"), new ScopeDescriptor("NotesWrite", "crm.notes.write")] },
        new ProviderDescriptor("Weather", CredentialKind.ApiKey),
        new ProviderDescriptor("Maps", CredentialKind.ApiKey),
    ]);

    [Fact]
    public void Declared_scopes_are_permitted_and_nothing_beyond_them()
    {
        var rules = ToolCredentialRules.For(ToolRequirements.From([new ActsWithAttribute<CrmScopes>(CrmScopes.NotesRead)]), s_manifest);

        Assert.True(rules.Permits(CredentialRequest.Token("Crm", 1)));
        Assert.True(rules.Permits(CredentialRequest.Token("Crm", ["crm.notes.read"])));
        Assert.False(rules.Permits(CredentialRequest.Token("Crm", 2)));
        Assert.False(rules.Permits(CredentialRequest.Token("Crm", ["crm.notes.read", "crm.notes.write"])));
        Assert.False(rules.Permits(CredentialRequest.Token("Crm", ["crm.admin"])));

        // The client's default scopes and a whole grant may hold any declared scope.
        Assert.False(rules.Permits(CredentialRequest.Token("Crm", 0)));
        Assert.False(rules.Permits(CredentialRequest.Grant("Crm")));
        Assert.Equal("[ActsWith<CrmScopes>(CrmScopes.NotesWrite)]", rules.Describe(CredentialRequest.Token("Crm", 3)).Declaration);
    }

    [Fact]
    public void Api_keys_are_permitted_only_when_declared()
    {
        var rules = ToolCredentialRules.For(ToolRequirements.From([new ActsWithApiKeyAttribute("Weather")]), s_manifest);

        Assert.True(rules.Permits(CredentialRequest.ApiKey("Weather")));
        Assert.False(rules.Permits(CredentialRequest.ApiKey("Maps")));
        Assert.False(rules.Permits(CredentialRequest.Token("Crm", 1)));
        Assert.Equal("[ActsWithApiKey(\"Maps\")]", rules.Describe(CredentialRequest.ApiKey("Maps")).Declaration);
    }

    [Fact]
    public async Task A_tool_naming_an_API_key_provider_the_manifest_does_not_declare_stops_the_host()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => McpLandscape.StartAsync(configureServer: (builder, _) =>
            Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(builder.Services, McpServerTool.Create(
                (Func<string>)(() => "never"),
                new McpServerToolCreateOptions { Name = "weather", Metadata = [new ActsWithApiKeyAttribute("Crm")] }))));

        Assert.Contains("declares no API-key provider of that name", exception.ToString(), StringComparison.Ordinal);
    }
}
