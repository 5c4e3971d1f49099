using System.Threading.Tasks;
using Xunit;
using Verifier = IdentityGuard.Analyzers.Tests.RuleVerifier<IdentityGuard.Analyzers.TokenFlow.CredentialToolParameterAnalyzer>;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>IG0302: parameters the model fills must not be credentials; model-token counts and page tokens are fine.</summary>
public class CredentialToolParameterTests
{
    private const string Usings = """
        using System.Threading;
        using IdentityGuard.Tokens;
        using Microsoft.Extensions.AI;
        using Microsoft.SemanticKernel;
        using ModelContextProtocol.Server;

        """;

    [Fact]
    public Task Attributed_tools_with_credential_parameters() => Verifier.AnalyzerAsync(Usings + """
        class Tools
        {
            [McpServerTool]
            public static string Search(string query, string {|IG0302:accessToken|}) => query;

            [KernelFunction]
            private string Call(string {|IG0302:apiKey|}, string {|IG0302:password|}) => "";

            [McpServerTool]
            public static string Typed(AccessToken {|IG0302:token|}, ApiKey {|IG0302:key|}) => "";
        }
        """);

    [Fact]
    public Task Model_token_counts_page_tokens_and_cancellation_are_fine() => Verifier.AnalyzerAsync(Usings + """
        class Tools
        {
            [McpServerTool]
            public static string Summarize(string text, int maxTokens, string pageToken, string continuationToken, string tokenCount, CancellationToken cancellationToken) => text;

            public static string NotATool(string accessToken) => accessToken;
        }
        """);

    [Fact]
    public Task Lambdas_and_method_groups_passed_to_factories() => Verifier.AnalyzerAsync(Usings + """
        class Setup
        {
            static string Call(string city, string bearerToken) => city;

            void M()
            {
                AIFunctionFactory.Create((string city, string {|IG0302:secret|}) => city);
                AIFunctionFactory.Create((string city, int maxTokens) => city);
                AIFunctionFactory.Create({|IG0302:Call|});
            }
        }
        """);
}
