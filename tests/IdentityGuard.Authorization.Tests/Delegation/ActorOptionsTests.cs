using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace IdentityGuard.Authorization.Tests.Delegation;

/// <summary>Actor-chain options that could never work are refused at start-up, not at the first call.</summary>
public sealed class ActorOptionsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(ActorChain.MaxReadableDepth + 1)]
    public void A_depth_outside_the_readable_range_is_refused(int depth)
    {
        var options = Valid();
        options.MaxActorChainDepth = depth;

        Assert.Contains(JwtAuthorizerOptionsValidator.FindErrors(options), e => e.Contains("MaxActorChainDepth must be between 1 and 32", StringComparison.Ordinal));
    }

    [Fact]
    public void Refusing_actors_while_listing_them_is_contradictory()
    {
        var options = Valid();
        options.ActorRequirement = ActorRequirement.Refused;
        options.AllowedActors.Add("orchestrator-agent");

        var error = Assert.Throws<OptionsValidationException>(() => new JwtAuthorizer(options));
        Assert.Contains("ActorRequirement is Refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_requirements_and_empty_actor_names_are_refused()
    {
        var options = Valid();
        options.ActorRequirement = (ActorRequirement)7;
        options.AllowedActors.Add(" ");

        var errors = JwtAuthorizerOptionsValidator.FindErrors(options);

        Assert.Contains(errors, e => e.Contains("ActorRequirement '7' is unknown", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("AllowedActors must not contain empty entries", StringComparison.Ordinal));
    }

    [Fact]
    public void Actor_rules_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IdentityGuard:Authorizer:Authority"] = "https://login.example.com/",
            ["IdentityGuard:Authorizer:Audiences:0"] = "finance-api",
            ["IdentityGuard:Authorizer:ActorRequirement"] = "Required",
            ["IdentityGuard:Authorizer:AllowedActors:0"] = "task-agent",
            ["IdentityGuard:Authorizer:AllowedActors:1"] = "orchestrator-agent",
            ["IdentityGuard:Authorizer:MaxActorChainDepth"] = "2",
        }).Build();
        var collection = new ServiceCollection().AddLogging();
        collection.AddIdentityGuardRuntime(configuration).AddAuthorizer();
        using var services = collection.BuildServiceProvider();

        var options = services.GetRequiredService<JwtAuthorizer>().Options;

        Assert.Equal(ActorRequirement.Required, options.ActorRequirement);
        Assert.Equal(["task-agent", "orchestrator-agent"], options.AllowedActors.ToArray());
        Assert.Equal(2, options.MaxActorChainDepth);
    }

    private static JwtAuthorizerOptions Valid()
    {
        var options = new JwtAuthorizerOptions { Authority = new Uri("https://login.example.com/") };
        options.Audiences.Add("finance-api");
        return options;
    }
}
