using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using IdentityGuard.Http;
using IdentityGuard.Manifest;
using Microsoft.Extensions.Options;
using Xunit;

namespace IdentityGuard.Tests.Http;

/// <summary>A provider bound to its API's origins sends its credential nowhere else.</summary>
public sealed class AllowedOriginsTests
{
    [Fact]
    public async Task Configured_origins_refuse_a_request_to_any_other_origin_before_sending()
    {
        await using var api = await LoopbackOrigin.StartAsync(LoopbackOrigin.Answer(HttpStatusCode.OK));
        await using var other = await LoopbackOrigin.StartAsync(LoopbackOrigin.Answer(HttpStatusCode.OK));
        using var agent = CredentialedAgent.WithApiKey(ApiKeyPlacement.Header, api.BaseAddress, new() { ["IdentityGuard:Providers:Weather:AllowedOrigins:0"] = Origin(api) });
        var client = agent.Client;

        using var allowed = await client.GetAsync(new Uri("weather", UriKind.Relative));
        var error = await Assert.ThrowsAsync<CredentialDestinationException>(() => client.GetAsync(new Uri(other.BaseAddress, "weather")));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("Weather", error.Provider);
        Assert.Contains(Origin(other), error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowedOrigins", error.Message, StringComparison.Ordinal);
        Assert.Empty(other.Received);
    }

    [Fact]
    public async Task Manifest_origins_bind_the_provider_and_configured_origins_replace_them()
    {
        await using var api = await LoopbackOrigin.StartAsync(LoopbackOrigin.Answer(HttpStatusCode.OK));
        await using var other = await LoopbackOrigin.StartAsync(LoopbackOrigin.Answer(HttpStatusCode.OK));
        using var fromManifest = CredentialedAgent.WithApiKey(ApiKeyPlacement.Query, api.BaseAddress, allowedOrigins: [Origin(api)]);
        using var overridden = CredentialedAgent.WithApiKey(
            ApiKeyPlacement.Query, api.BaseAddress, new() { ["IdentityGuard:Providers:Weather:AllowedOrigins:0"] = Origin(other) }, allowedOrigins: [Origin(api)]);

        using var allowed = await fromManifest.Client.GetAsync(new Uri("weather", UriKind.Relative));
        await Assert.ThrowsAsync<CredentialDestinationException>(() => fromManifest.Client.GetAsync(new Uri(other.BaseAddress, "weather")));
        await Assert.ThrowsAsync<CredentialDestinationException>(() => overridden.Client.GetAsync(new Uri(api.BaseAddress, "weather")));
        using var nowAllowed = await overridden.Client.GetAsync(new Uri(other.BaseAddress, "weather"));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, nowAllowed.StatusCode);
        Assert.Single(api.Received);
        Assert.Single(other.Received);
    }

    [Fact]
    public void A_malformed_origin_in_a_hand_built_descriptor_is_refused_when_the_client_is_created()
    {
        using var agent = CredentialedAgent.WithApiKey(ApiKeyPlacement.Header, new Uri("https://api.example.com/"), allowedOrigins: ["https://api.example.com/v1"]);

        var error = Assert.Throws<ArgumentException>(() => agent.Client);

        Assert.Contains("'https://api.example.com/v1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_configured_value_instead_of_an_array_is_an_error()
    {
        using var agent = CredentialedAgent.WithApiKey(ApiKeyPlacement.Header, new Uri("https://api.example.com/"), new() { ["IdentityGuard:Providers:Weather:AllowedOrigins"] = "https://api.example.com" });

        var error = Assert.Throws<OptionsValidationException>(() => agent.Client);

        Assert.Contains("IdentityGuard:Providers:Weather:AllowedOrigins", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Origins_compare_scheme_host_and_port_ignoring_case_and_a_trailing_slash()
    {
        await using var api = await LoopbackOrigin.StartAsync(LoopbackOrigin.Answer(HttpStatusCode.OK));
        var written = "HTTP://127.0.0.1:" + api.BaseAddress.Port + "/";
        using var agent = CredentialedAgent.WithApiKey(ApiKeyPlacement.Header, api.BaseAddress, new() { ["IdentityGuard:Providers:Weather:AllowedOrigins:0"] = written });

        using var response = await agent.Client.GetAsync(new Uri("weather", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("https://api.example.com/v1")]
    [InlineData("https://api.example.com?x=1")]
    [InlineData("https://user@api.example.com")]
    [InlineData("api.example.com")]
    [InlineData("ftp://api.example.com")]
    [InlineData("http://api.example.com")]
    public void A_malformed_configured_origin_is_an_error_naming_its_key(string origin)
    {
        using var agent = CredentialedAgent.WithApiKey(ApiKeyPlacement.Header, new Uri("https://api.example.com/"), new() { ["IdentityGuard:Providers:Weather:AllowedOrigins:0"] = origin });

        var error = Assert.Throws<OptionsValidationException>(() => agent.Client);

        Assert.Contains("IdentityGuard:Providers:Weather:AllowedOrigins:0", error.Message, StringComparison.Ordinal);
    }

    private static string Origin(LoopbackOrigin origin) => origin.BaseAddress.GetLeftPart(UriPartial.Authority);
}
