using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Mcp.Passthrough;
using IdentityGuard.Mcp.Requirements;
using McpCrmServer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Server;
using Xunit;

namespace IdentityGuard.Mcp.Tests;

/// <summary>Reading tool requirements, checking them against the manifest, and the outgoing token check.</summary>
public sealed class RequirementTests
{
    /// <summary>A scope enum the sample's manifest does not declare.</summary>
    [Flags]
    public enum BillingScopes : ulong
    {
        None = 0,
        InvoicesRead = 1,
    }

    [Fact]
    public void Class_and_method_requirements_combine_without_duplicates()
    {
        var method = typeof(CrmTools).GetMethod(nameof(CrmTools.FlagClient))!;
        var requirements = ToolRequirements.From([.. typeof(CrmTools).GetCustomAttributes(true), .. method.GetCustomAttributes(true), new RequireScopesAttribute(McpScopes.Use)]);

        Assert.Equal([McpScopes.Use, McpScopes.Write], requirements.InboundScopes);
        Assert.Empty(requirements.Credentials);
    }

    [Fact]
    public void ActsWith_names_the_provider_of_the_generated_enum_and_its_bits()
    {
        var method = typeof(CrmTools).GetMethod(nameof(CrmTools.GetClientNotesAsync))!;
        var credential = Assert.Single(ToolRequirements.From(method.GetCustomAttributes(true)).Credentials);

        Assert.Equal("Crm", credential.Provider);
        Assert.Equal((ulong)CrmScopes.NotesRead, credential.ScopeMask);
    }

    [Fact]
    public void Scopes_with_spaces_or_quotes_are_refused_where_they_are_declared()
    {
        Assert.Throws<ArgumentException>(() => new RequireScopesAttribute("crm.mcp crm.mcp.write"));
        Assert.Throws<ArgumentException>(() => new RequireScopesAttribute("crm\"mcp"));
        Assert.Throws<ArgumentException>(() => new RequireScopesAttribute());
    }

    [Fact]
    public async Task A_tool_acting_with_a_provider_the_manifest_does_not_declare_stops_the_host()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => McpLandscape.StartAsync(configureServer: (builder, _) =>
            builder.Services.AddSingleton(McpServerTool.Create(
                (Func<string>)(() => "never"),
                new McpServerToolCreateOptions { Name = "read_invoices", Metadata = [new ActsWithAttribute<BillingScopes>(BillingScopes.InvoicesRead)] }))));

        Assert.Contains("declares no OAuth 2.0 provider 'Billing'", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bearer_token_issued_to_this_server_is_refused_on_the_way_out_whoever_it_belongs_to()
    {
        const string resource = "https://mcp.example.com/mcp";
        var sent = 0;
        using var invoker = new HttpMessageInvoker(new InboundTokenEgressHandler(resource, NullLogger.Instance) { InnerHandler = new CountingHandler(() => sent++) });

        using var ours = new HttpRequestMessage(HttpMethod.Get, "https://crm.example.com/notes");
        ours.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Jwt(resource));
        await Assert.ThrowsAsync<TokenPassthroughException>(() => invoker.SendAsync(ours, CancellationToken.None));

        using var theirs = new HttpRequestMessage(HttpMethod.Get, "https://crm.example.com/notes");
        theirs.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Jwt("crm-api"));
        using var response = await invoker.SendAsync(theirs, CancellationToken.None);

        Assert.Equal(1, sent);
    }

    // An unsigned token is enough: the check reads the audience of whatever is about to be sent.
    private static string Jwt(string audience) =>
        Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64Url($"{{\"sub\":\"maria\",\"aud\":\"{audience}\"}}") + ".";

    private static string Base64Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class CountingHandler(Action onSend) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
