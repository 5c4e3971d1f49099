using System.Linq;
using Xunit;

namespace IdentityGuard.Authorization.Tests.Delegation;

/// <summary>Reading RFC 8693 <c>act</c> claims: nesting order, and shapes that are not a chain.</summary>
public sealed class ActorChainTests
{
    [Fact]
    public void Outermost_act_is_the_most_recent_actor()
    {
        Assert.True(ActorChain.TryParse("""{"sub":"task-agent","iss":"x","act":{"sub":"orchestrator"}}""", out var chain));

        Assert.Equal(["task-agent", "orchestrator"], chain);
        Assert.Equal("task-agent", chain.Current);
        Assert.Equal("task-agent < orchestrator", chain.ToString());
        Assert.Equal(chain, ActorChain.Of("task-agent", "orchestrator"));
        Assert.Equal(ActorChain.Of("me", "task-agent", "orchestrator"), chain.Prepend("me"));
    }

    [Theory]
    [InlineData("\"orchestrator\"")]
    [InlineData("""{"iss":"x"}""")]
    [InlineData("""{"sub":""}""")]
    [InlineData("""{"sub":42}""")]
    [InlineData("""{"sub":"a","act":"b"}""")]
    [InlineData("""{"sub":"a","act":{"sub":null}}""")]
    [InlineData("""[{"sub":"a"}]""")]
    [InlineData("{not json")]
    public void Anything_but_nested_objects_naming_a_sub_is_malformed(string act) =>
        Assert.False(ActorChain.TryParse(act, out _));

    [Fact]
    public void Nesting_beyond_the_readable_depth_is_malformed_not_walked()
    {
        static string Nest(int depth) => depth == 1 ? """{"sub":"a"}""" : $$"""{"sub":"a","act":{{Nest(depth - 1)}}}""";

        Assert.True(ActorChain.TryParse(Nest(ActorChain.MaxReadableDepth), out var deepest));
        Assert.Equal(ActorChain.MaxReadableDepth, deepest.Count);
        Assert.False(ActorChain.TryParse(Nest(ActorChain.MaxReadableDepth + 1), out _));
        Assert.False(ActorChain.TryParse(Nest(200), out _));
    }

    [Fact]
    public void No_claim_is_an_empty_chain()
    {
        Assert.True(ActorChain.TryParse(null, out var chain));
        Assert.Empty(chain);
        Assert.Null(chain.Current);
        Assert.Equal("-", chain.ToString());
        Assert.Empty(Enumerable.Empty<string>().Concat(ActorChain.Empty));
    }
}
