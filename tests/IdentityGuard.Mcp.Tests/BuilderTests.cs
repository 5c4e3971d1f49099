using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace IdentityGuard.Mcp.Tests;

/// <summary><c>AddMcp()</c> on the IdentityGuard builder binds <c>IdentityGuard:Mcp</c> and refuses to start a server its settings leave unprotected.</summary>
public sealed class BuilderTests
{
    [Theory]
    [InlineData(null, "IdentityGuard:Mcp:Resource is required")]
    [InlineData("https://mcp.example.com/mcp#tools", "IdentityGuard:Mcp:Resource must be an absolute http(s) URL without a fragment")]
    [InlineData("https://other.example.com/mcp", "IdentityGuard:Authorizer:Audiences")]
    public async Task A_server_whose_resource_is_missing_or_not_its_audience_does_not_start(string? resource, string expected)
    {
        await using var app = Build(resource);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_bound_from_the_configuration_starts_and_serves_its_metadata()
    {
        await using var app = Build("http://127.0.0.1/mcp");

        await app.StartAsync();
        var mcp = app.Services.GetRequiredService<IOptions<IdentityGuardMcpOptions>>().Value;
        await app.StopAsync();

        Assert.Equal(new Uri("http://127.0.0.1/mcp"), mcp.Resource);
        Assert.Equal("Contoso CRM", mcp.ResourceName);
    }

    private static WebApplication Build(string? resource)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IdentityGuard:Authorizer:Authority"] = "https://login.example.com/",
            ["IdentityGuard:Authorizer:Audiences:0"] = "http://127.0.0.1/mcp",
            ["IdentityGuard:Authorizer:Audiences:1"] = "https://mcp.example.com/mcp#tools",
            ["IdentityGuard:Mcp:Resource"] = resource,
            ["IdentityGuard:Mcp:ResourceName"] = "Contoso CRM",
        });
        builder.Services.AddIdentityGuardRuntime(builder.Configuration).AddMcp();
        builder.Services.AddMcpServer().WithHttpTransport();
        var app = builder.Build();
        app.MapMcp("/mcp").RequireIdentityGuard();
        return app;
    }
}
