using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Scrubbing;
using Xunit;

namespace IdentityGuard.Samples.Tests;

/// <summary>
/// The Microsoft.Extensions.AI sample: a real function-invoking pipeline, a tool that returns the agent's real access
/// token (issued by the loopback OpenIddict server), and a fake model that records what it is sent.
/// </summary>
public sealed class ScrubbingChatAgentTests
{
    [Fact]
    public async Task Without_scrubbing_the_token_bearing_tool_result_reaches_the_model_with_the_token()
    {
        // The attack succeeds when nothing stands in the way: this is what the next test must prevent.
        var result = await ScrubbingChatAgent.Scenario.RunAsync(new ScrubbingChatAgent.ScenarioOptions { Scrub = false });

        Assert.Contains(result.ModelRequests, request => request.Contains(result.IssuedToken.RevealValue(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_token_bearing_tool_result_reaches_the_model_with_no_token_in_it()
    {
        var output = new StringWriter();

        var result = await ScrubbingChatAgent.Scenario.RunAsync(new ScrubbingChatAgent.ScenarioOptions { Output = output });

        var token = result.IssuedToken.RevealValue();
        Assert.Equal(2, result.ModelRequests.Count);
        Assert.All(result.ModelRequests, request => Assert.DoesNotContain(token, request, StringComparison.Ordinal));
        Assert.Contains("\"accessToken\":\"" + CredentialScrubber.Marker + "\"", result.ModelRequests[1], StringComparison.Ordinal);
        Assert.Contains("\"records\":3", result.ModelRequests[1], StringComparison.Ordinal);
        Assert.Equal("This quarter's sales are in; the report tool answered.", result.Answer);

        // The redaction is audited: the workload and the provider whose token it was, never the value.
        var audit = Assert.Single(result.AuditTrail, e => e.Kind == AuditEventKind.CredentialRedacted);
        Assert.Equal("scrubbing-chat-agent", audit.Workload);
        Assert.Equal("Reports", audit.Provider);
        Assert.Contains("tool result get_sales_summary", audit.Reason, StringComparison.Ordinal);
        var printed = output.ToString();
        Assert.Contains("CredentialRedacted", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(token, printed + string.Join('\n', result.AuditTrail.Select(e => e.ToString())), StringComparison.Ordinal);
    }
}
