using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace IdentityGuard.Authorization.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Audience_is_required_unless_explicitly_disabled()
    {
        var options = new JwtAuthorizerOptions { Authority = new Uri("https://login.example.com/tenant") };

        var error = Assert.Throws<OptionsValidationException>(() => new JwtAuthorizer(options));
        Assert.Contains("Audiences is required", error.Message, StringComparison.Ordinal);

        options.DisableAudienceValidation = true;
        using var authorizer = new JwtAuthorizer(options);
        Assert.Equal(new Uri("https://login.example.com/tenant/.well-known/openid-configuration"), options.ResolveDiscoveryUrl());
    }

    [Theory]
    [InlineData("https://login.example.com/keys")]
    [InlineData("https://login.example.com/.well-known/openid-configuration?p=policy")]
    [InlineData("https://login.example.com/.well-known/openid-configuration/")]
    public void Discovery_url_must_be_an_issuer_followed_by_the_well_known_path(string discoveryUrl)
    {
        // The issuer the document may name is derived from its address (OpenID Connect Discovery 4.3), so an address
        // it cannot be derived from is refused at start-up rather than refusing every caller later.
        var options = new JwtAuthorizerOptions { DiscoveryUrl = new Uri(discoveryUrl), DisableAudienceValidation = true };

        Assert.Contains(JwtAuthorizerOptionsValidator.FindErrors(options), e => e.Contains("must end with /.well-known/openid-configuration", StringComparison.Ordinal));
    }

    [Fact]
    public void Unsafe_or_incomplete_options_are_reported_together()
    {
        var options = new JwtAuthorizerOptions { DiscoveryUrl = new Uri("http://login.example.com/.well-known/openid-configuration") };
        options.Audiences.Add("api");
        options.AllowedAlgorithms.Add("HS256");
        options.RequiredScopes.Add("write");
        options.AllowedScopes.Add("read");
        options.ClaimRules.Add(new ClaimRule("tenant", ClaimRuleOperator.Equals, "a", "b"));

        var errors = JwtAuthorizerOptionsValidator.FindErrors(options);

        Assert.Contains(errors, e => e.Contains("must use HTTPS", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("HS256", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("[write] are not in AllowedScopes", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ClaimRules[0] (tenant Equals) needs exactly one value", StringComparison.Ordinal));
        Assert.Empty(JwtAuthorizerOptionsValidator.FindErrors(new JwtAuthorizerOptions { DiscoveryUrl = new Uri("http://127.0.0.1:5000/x/.well-known/openid-configuration"), DisableAudienceValidation = true }));
        Assert.Contains(JwtAuthorizerOptionsValidator.FindErrors(new JwtAuthorizerOptions()), e => e.Contains("DiscoveryUrl (or Authority) is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Configuration_section_binds_lists_rules_and_replaces_default_algorithms()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IdentityGuard:Workload"] = "orders-agent",
            ["IdentityGuard:Authorizer:Authority"] = "https://login.example.com/",
            ["IdentityGuard:Authorizer:Audiences:0"] = "orders-api",
            ["IdentityGuard:Authorizer:RequiredScopes:0"] = "orders.read",
            ["IdentityGuard:Authorizer:AllowedAlgorithms:0"] = "ES256",
            ["IdentityGuard:Authorizer:ClockSkew"] = "00:00:30",
            ["IdentityGuard:Authorizer:ClaimRules:0:ClaimType"] = "groups",
            ["IdentityGuard:Authorizer:ClaimRules:0:Operator"] = "ContainsAny",
            ["IdentityGuard:Authorizer:ClaimRules:0:Values:0"] = "a",
            ["IdentityGuard:Authorizer:ClaimRules:0:Values:1"] = "b",
        }).Build();
        var services = new ServiceCollection();
        services.AddIdentityGuardRuntime(configuration).AddAuthorizer();
        await using var provider = services.BuildServiceProvider();

        var authorizer = provider.GetRequiredService<JwtAuthorizer>();

        Assert.Equal(["orders-api"], authorizer.Options.Audiences);
        Assert.Equal(["ES256"], authorizer.Options.AllowedAlgorithms);
        Assert.Equal(TimeSpan.FromSeconds(30), authorizer.Options.ClockSkew);
        Assert.Equal("orders-agent", authorizer.Options.Workload);
        var rule = Assert.Single(authorizer.Options.ClaimRules);
        Assert.Equal(ClaimRuleOperator.ContainsAny, rule.Operator);
        Assert.Equal(["a", "b"], rule.Values);
        Assert.NotNull(provider.GetService<AuditLog>());
    }

    [Fact]
    public async Task Invalid_registration_fails_when_resolved()
    {
        var services = new ServiceCollection();
        services.AddIdentityGuardRuntime(new ConfigurationBuilder().Build()).AddAuthorizer(options => options.Authority = new Uri("https://login.example.com/"));
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<JwtAuthorizer>());
        Assert.Contains("Audiences is required", error.Message, StringComparison.Ordinal);
    }
}
