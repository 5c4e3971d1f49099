using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Manifest;
using IdentityGuard.Scrubbing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace IdentityGuard.Extensions.AI.Tests;

/// <summary>
/// Real <see cref="FunctionInvokingChatClient"/>, real <see cref="AIFunctionFactory"/> tools; the model is the only
/// fake. Each test tries to get a credential the process holds to the model through a tool result or a message.
/// </summary>
public sealed class ScrubbingPipelineTests
{
    private readonly InMemoryAuditTrail _trail = new();
    private readonly HeldCredentials _held = new();
    private readonly CredentialScrubber _scrubber;
    private readonly string _token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    public ScrubbingPipelineTests()
    {
        _scrubber = new CredentialScrubber(_held, new AuditLog([_trail], TimeProvider.System, NullLogger<AuditLog>.Instance), "report-agent");
        _held.Remember(_token, "Reports", DateTimeOffset.UtcNow.AddHours(1));
    }

    [Fact]
    public async Task Without_scrubbing_the_tool_result_carries_the_token_to_the_model()
    {
        // The control: proves the model's record would show the token, so the tests below can fail.
        var model = new RecordingModel("get_report");
        using var client = new ChatClientBuilder(model).UseFunctionInvocation().Build();

        await client.GetResponseAsync("Sales report for EMEA, please.", new ChatOptions { Tools = [ReportTool()] });

        Assert.Contains(_token, model.Received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_bearing_tool_result_reaches_the_model_without_the_token()
    {
        var model = new RecordingModel("get_report");
        using var client = new ChatClientBuilder(model).UseFunctionInvocation().UseIdentityGuardScrubbing(_scrubber).Build();

        var response = await client.GetResponseAsync("Sales report for EMEA, please.", new ChatOptions { Tools = [ReportTool()] });

        Assert.Equal("Here is your report.", response.Text);
        Assert.Equal(2, model.Requests.Count);
        Assert.DoesNotContain(_token, model.Received, StringComparison.Ordinal);
        Assert.Contains(CredentialScrubber.Marker, model.Requests[1], StringComparison.Ordinal);
        Assert.Contains("\"rows\":12", model.Requests[1], StringComparison.Ordinal);
        var audit = Assert.Single(_trail.Events);
        Assert.Equal(AuditEventKind.CredentialRedacted, audit.Kind);
        Assert.Equal("Reports", audit.Provider);
        Assert.Equal("report-agent", audit.Workload);
        Assert.Contains("tool result get_report", audit.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(_token, audit.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_sends_no_token_either()
    {
        var model = new RecordingModel("get_report");
        using var client = new ChatClientBuilder(model).UseFunctionInvocation().UseIdentityGuardScrubbing(_scrubber).Build();

        var text = new StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync("Sales report for EMEA, please.", new ChatOptions { Tools = [ReportTool()] }))
        {
            text.Append(update.Text);
        }

        Assert.Equal("Here is your report.", text.ToString());
        Assert.Equal(2, model.Requests.Count);
        Assert.DoesNotContain(_token, model.Received, StringComparison.Ordinal);
        Assert.Contains(CredentialScrubber.Marker, model.Requests[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrubbing_placed_outside_function_invocation_still_cleans_results_where_tools_run()
    {
        // A custom client sits between the function-invoking client and the model; the scrubbing layer is outermost,
        // so only the invocation-layer hook can clean the tool result before that client and the model see it.
        var model = new RecordingModel("get_report");
        var between = new List<string>();
        using var client = new ChatClientBuilder(model)
            .UseIdentityGuardScrubbing(_scrubber)
            .UseFunctionInvocation()
            .Use((messages, options, next, cancellationToken) =>
            {
                between.Add(string.Join('\n', messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result?.ToString())));
                return next(messages, options, cancellationToken);
            })
            .Build();

        await client.GetResponseAsync("Sales report for EMEA, please.", new ChatOptions { Tools = [ReportTool()] });

        Assert.DoesNotContain(_token, model.Received, StringComparison.Ordinal);
        Assert.Contains(between, seen => seen.Contains(CredentialScrubber.Marker, StringComparison.Ordinal));
        Assert.DoesNotContain(between, seen => seen.Contains(_token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_in_a_user_message_or_the_instructions_is_scrubbed_but_the_callers_history_is_left_alone()
    {
        var model = new RecordingModel("get_report");
        using var client = new ChatClientBuilder(model).UseIdentityGuardScrubbing(_scrubber).Build();
        var history = new List<ChatMessage> { new(ChatRole.User, "Why does the API refuse my key " + _token + "?") };

        await client.GetResponseAsync(history, new ChatOptions { Instructions = "Session key: " + _token });

        Assert.DoesNotContain(_token, model.Received, StringComparison.Ordinal);
        Assert.Equal("Why does the API refuse my key " + CredentialScrubber.Marker + "?", model.LastMessages[0].Text);
        Assert.Contains(_token, history[0].Text, StringComparison.Ordinal);
        Assert.Equal(2, _trail.Events.Count);
    }

    [Fact]
    public async Task Reasoning_and_error_text_are_scrubbed()
    {
        var model = new RecordingModel("get_report");
        using var client = new ChatClientBuilder(model).UseIdentityGuardScrubbing(_scrubber).Build();
        var message = new ChatMessage(ChatRole.Assistant, [new TextReasoningContent("I used " + _token), new ErrorContent("refused " + _token)]);

        await client.GetResponseAsync([message, new ChatMessage(ChatRole.User, "go on")]);

        Assert.DoesNotContain(_token, model.Received, StringComparison.Ordinal);
        Assert.Equal(2, _trail.Events.Count);
    }

    [Fact]
    public async Task A_tools_exception_message_with_the_token_does_not_reach_the_model()
    {
        var model = new RecordingModel("get_report");
        using var client = new ChatClientBuilder(model)
            .UseFunctionInvocation(configure: invoking => invoking.IncludeDetailedErrors = true)
            .UseIdentityGuardScrubbing(_scrubber)
            .Build();
        var failing = AIFunctionFactory.Create((string region) => ThrowWithToken(region), "get_report");

        await client.GetResponseAsync("Sales report for EMEA, please.", new ChatOptions { Tools = [failing] });

        Assert.Contains("upstream refused", model.Requests[1], StringComparison.Ordinal);
        Assert.DoesNotContain(_token, model.Received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_raw_representation_carrying_the_token_is_not_forwarded()
    {
        // Provider clients may send a message's raw representation instead of its contents.
        var model = new RecordingModel("get_report");
        using var client = new ChatClientBuilder(model).UseIdentityGuardScrubbing(_scrubber).Build();
        var message = new ChatMessage(ChatRole.User, "key " + _token) { RawRepresentation = "key " + _token };

        await client.GetResponseAsync([message]);

        Assert.Null(model.LastMessages[0].RawRepresentation);
        Assert.Equal("key " + _token, message.RawRepresentation);
    }

    [Fact]
    public async Task A_wrapped_tool_returns_a_scrubbed_result_to_whoever_invokes_it()
    {
        var tool = ReportTool().WithCredentialScrubbing(_scrubber);

        var result = await tool.InvokeAsync(new AIFunctionArguments { ["region"] = "EMEA" });

        var text = Assert.IsType<System.Text.Json.JsonElement>(result).GetRawText();
        Assert.DoesNotContain(_token, text, StringComparison.Ordinal);
        Assert.Contains(CredentialScrubber.Marker, text, StringComparison.Ordinal);
        Assert.Equal("get_report", tool.Name);
    }

    [Fact]
    public async Task A_clean_tool_result_is_passed_on_unchanged_and_nothing_is_audited()
    {
        var model = new RecordingModel("get_report");
        using var client = new ChatClientBuilder(model).UseFunctionInvocation().UseIdentityGuardScrubbing(_scrubber).Build();
        var tool = AIFunctionFactory.Create((string region) => new { region, rows = 12 }, "get_report");

        await client.GetResponseAsync("Sales report for EMEA, please.", new ChatOptions { Tools = [tool] });

        Assert.Contains("{\"region\":\"EMEA\",\"rows\":12}", model.Requests[1], StringComparison.Ordinal);
        Assert.Empty(_trail.Events);
    }

    [Fact]
    public async Task The_scrubber_registered_by_the_runtime_is_used_by_default()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection();
        services.AddIdentityGuardRuntime(configuration, new CredentialManifest("report-agent", []));
        services.AddSingleton<IAuditSink>(_trail);
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<HeldCredentials>().Remember(_token, "Reports", DateTimeOffset.UtcNow.AddHours(1));
        var model = new RecordingModel("get_report");
        using var client = new ChatClientBuilder(model).UseFunctionInvocation().UseIdentityGuardScrubbing().Build(provider);

        await client.GetResponseAsync("Sales report for EMEA, please.", new ChatOptions { Tools = [ReportTool()] });

        Assert.DoesNotContain(_token, model.Received, StringComparison.Ordinal);
        Assert.Contains(_trail.Events, e => e.Kind == AuditEventKind.CredentialRedacted && e.Provider == "Reports");
    }

    [Fact]
    public void Without_a_registered_scrubber_building_the_pipeline_fails_with_a_clear_message()
    {
        var builder = new ChatClientBuilder(new RecordingModel("get_report")).UseIdentityGuardScrubbing();

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.Contains("AddIdentityGuard", error.Message, StringComparison.Ordinal);
    }

    private string ThrowWithToken(string region) =>
        throw new InvalidOperationException($"upstream refused {region} for session {_token}");

    private AIFunction ReportTool() =>
        AIFunctionFactory.Create((string region) => new SalesReport(region, 12, _token), "get_report", "Gets the sales report of a region.");

    /// <summary>What a careless tool returns: the figures, and the session it used "for debugging".</summary>
    private sealed record SalesReport(string Region, int Rows, string Session);
}
