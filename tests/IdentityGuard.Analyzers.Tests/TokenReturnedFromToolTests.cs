using System.Threading.Tasks;
using Xunit;
using Verifier = IdentityGuard.Analyzers.Tests.RuleVerifier<IdentityGuard.Analyzers.TokenFlow.TokenFlowAnalyzer>;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>IG0301: what a tool returns is serialized to the model, members included.</summary>
public class TokenReturnedFromToolTests
{
    private const string Usings = """
        using System;
        using System.Threading.Tasks;
        using IdentityGuard.Providers;
        using IdentityGuard.Tokens;
        using Microsoft.Extensions.AI;
        using Microsoft.SemanticKernel;
        using ModelContextProtocol.Server;

        """;

    [Fact]
    public Task Mcp_tool_returning_the_value() => Verifier.AnalyzerAsync(Usings + """
        [McpServerToolType]
        class Tools
        {
            [McpServerTool]
            public static string GetToken(AccessToken token) => {|IG0301:token.RevealValue()|};

            [McpServerTool]
            public static string Describe(AccessToken token) => "expires " + token.ExpiresAt;
        }
        """);

    [Fact]
    public Task Returned_objects_are_walked_member_by_member() => Verifier.AnalyzerAsync(Usings + """
        record Result(string Summary, string Token);

        class Tools
        {
            [McpServerTool]
            public static object Safe(AccessToken token, string summary) => new { Summary = summary, token.ExpiresAt };

            [McpServerTool]
            public static object Anonymous(AccessToken token) => new { Summary = "ok", Token = {|IG0301:token.RevealValue()|} };

            [McpServerTool]
            public static Result Positional(AccessToken token) => new Result("ok", {|IG0301:token.RevealValue()|});

            [McpServerTool]
            public static (string, string) Tuple(ApiKey key) => ("ok", {|IG0301:key.RevealValue()|});
        }
        """);

    [Fact]
    public Task Returning_the_token_object_serializes_redacted() => Verifier.AnalyzerAsync(Usings + """
        class Tools
        {
            [McpServerTool]
            public static AccessToken Get(AccessToken token) => token;

            [McpServerTool]
            public static object Wrapped(AccessToken token) => new { Token = token };
        }
        """);

    [Fact]
    public Task Kernel_function_of_any_accessibility_after_await() => Verifier.AnalyzerAsync(Usings + """
        class Plugin
        {
            private readonly ICrmTokens _tokens = null!;

            [KernelFunction]
            private async Task<string> GetCrmTokenAsync()
            {
                var token = await _tokens.GetAsync();
                var value = token.RevealValue();
                return {|IG0301:value|};
            }

            [KernelFunction]
            internal async Task<string> GetExpiryAsync()
            {
                var token = await _tokens.GetAsync();
                return token.ExpiresAt.ToString("O");
            }

            [KernelFunction]
            public Task<string> Wrapped(AccessToken token) => {|IG0301:Task.FromResult(token.RevealValue())|};
        }
        """);

    [Fact]
    public Task Lambdas_passed_to_tool_factories() => Verifier.AnalyzerAsync(Usings + """
        class Setup
        {
            void M(AccessToken token)
            {
                AIFunctionFactory.Create(() => {|IG0301:token.RevealValue()|});
                McpServerTool.Create(() => { var value = token.RevealValue(); return {|IG0301:value|}; });
                AIFunctionFactory.Create(() => token.ExpiresAt);
                Func<string> notATool = () => token.RevealValue();
            }
        }
        """);

    [Fact]
    public Task Methods_passed_to_tool_factories_by_method_group() => Verifier.AnalyzerAsync(Usings + """
        class Setup
        {
            private readonly AccessToken _token = null!;

            string Reveal() => {|IG0301:_token.RevealValue()|};

            string NotRegistered() => _token.RevealValue();

            void M()
            {
                AIFunctionFactory.Create(Reveal);
            }
        }
        """);

    [Fact]
    public Task Object_initializer_of_a_returned_object() => Verifier.AnalyzerAsync(Usings + """
        class Result
        {
            public string Summary { get; set; } = "";
            public string Token { get; set; } = "";
        }

        class Tools
        {
            [McpServerTool]
            public static Result Leaks(AccessToken token) => {|IG0301:new Result { Summary = "ok", Token = token.RevealValue() }|};

            [McpServerTool]
            public static Result Safe(AccessToken token)
            {
                var result = new Result { Summary = "ok", Token = token.RevealValue() };
                result.Token = "";
                return result;
            }
        }
        """);
}
