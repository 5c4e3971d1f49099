using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace IdentityGuard.Mcp.Tests;

/// <summary>
/// The host does not start when tokens to it could travel in clear or would not be bound to it: a plain-http resource
/// off loopback, or the authorizer's audience validation switched off.
/// </summary>
public sealed class StartupRefusalTests
{
    [Theory]
    [InlineData("http://mcp.example.com/mcp")]
    [InlineData("http://10.0.0.7:8080/mcp")]
    public async Task A_plain_http_resource_off_loopback_stops_the_host(string resource)
    {
        await using var app = Build(resource, disableAudienceValidation: false);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        Assert.Contains("must use https off loopback", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://mcp.example.com/mcp")]
    [InlineData("http://127.0.0.1/mcp")]
    public async Task Switching_off_audience_validation_stops_the_host(string resource)
    {
        await using var app = Build(resource, disableAudienceValidation: true);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        Assert.Contains("DisableAudienceValidation is true", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://mcp.example.com/mcp")]
    [InlineData("http://localhost:5000/mcp")]
    [InlineData("http://[::1]/mcp")]
    public async Task Https_or_loopback_with_audience_validation_starts(string resource)
    {
        await using var app = Build(resource, disableAudienceValidation: false);

        await app.StartAsync();
        await app.StopAsync();
    }

    private static WebApplication Build(string resource, bool disableAudienceValidation)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IdentityGuard:Authorizer:Authority"] = "https://login.example.com/",
            // The resource is an accepted audience, so only the property under test can stop the host.
            ["IdentityGuard:Authorizer:Audiences:0"] = new Uri(resource).AbsoluteUri,
            ["IdentityGuard:Authorizer:DisableAudienceValidation"] = disableAudienceValidation ? "true" : "false",
            ["IdentityGuard:Mcp:Resource"] = resource,
        });
        builder.Services.AddIdentityGuardRuntime(builder.Configuration).AddMcp();
        builder.Services.AddMcpServer().WithHttpTransport();
        var app = builder.Build();
        app.MapMcp("/mcp").RequireIdentityGuard();
        return app;
    }
}
