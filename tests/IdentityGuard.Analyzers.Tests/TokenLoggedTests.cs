using System.Threading.Tasks;
using IdentityGuard.Analyzers.TokenFlow;
using Xunit;
using Verifier = IdentityGuard.Analyzers.Tests.RuleVerifier<IdentityGuard.Analyzers.TokenFlow.TokenFlowAnalyzer>;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>IG0300: each source, propagation step and sink, each with the near miss that must stay quiet.</summary>
public class TokenLoggedTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics;
        using System.Net.Http;
        using System.Text;
        using System.Threading.Tasks;
        using IdentityGuard.Providers;
        using IdentityGuard.Tokens;
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.Logging;

        """;

    /// <summary>A method body with a logger, an access token, an API key and a flag in scope.</summary>
    private static string Body(string body) => Usings + """
        partial class C
        {
            ILogger logger = null!;

            async Task M(AccessToken token, ApiKey key, bool flag, ICrmTokens tokens, HttpContext context, HttpRequestMessage request)
            {
                await Task.Yield();

        """ + body + """

            }
        }
        """;

    [Fact]
    public Task RevealValue_as_a_log_argument() => Verifier.AnalyzerAsync(Body("""
        logger.LogInformation("Token {Token}", {|IG0300:token.RevealValue()|});
        logger.LogWarning("Key {Key}", {|IG0300:key.RevealValue()|});
        """));

    [Fact]
    public Task Token_object_and_its_metadata_print_redacted() => Verifier.AnalyzerAsync(Body("""
        logger.LogInformation("Token {Token}", token);
        logger.LogInformation("Expires {ExpiresAt} scope {Scope} type {Type}", token.ExpiresAt, token.Scope, token.TokenType);
        logger.LogInformation($"Using {token} and {key}");
        Console.WriteLine(token.ToString());
        """));

    [Fact]
    public Task Through_locals_interpolation_and_concatenation() => Verifier.AnalyzerAsync(Body("""
        var value = token.RevealValue();
        var header = "Bearer " + value;
        logger.LogInformation($"Calling with {{|IG0300:value|}}");
        logger.LogDebug({|IG0300:header|});
        logger.LogDebug("Authorization: " + {|IG0300:header|});
        """));

    [Fact]
    public Task Through_format_concat_join_and_string_builder() => Verifier.AnalyzerAsync(Body("""
        var value = key.RevealValue();
        logger.LogInformation({|IG0300:string.Format("key={0}", value)|});
        logger.LogInformation({|IG0300:string.Concat("k", value)|});
        logger.LogInformation({|IG0300:string.Join(",", new[] { "a", value })|});
        var builder = new StringBuilder();
        builder.Append("key=").Append(value);
        logger.LogInformation({|IG0300:builder.ToString()|});
        logger.LogInformation({|IG0300:Convert.ToBase64String(Encoding.UTF8.GetBytes(value))|});
        """));

    [Fact]
    public Task Reassignment_kills_the_taint() => Verifier.AnalyzerAsync(Body("""
        var value = token.RevealValue();
        value = "none";
        logger.LogInformation(value);
        var builder = new StringBuilder(token.RevealValue());
        builder = new StringBuilder("clean");
        logger.LogInformation(builder.ToString());
        """));

    [Fact]
    public Task Taint_on_one_branch_reaches_the_merge() => Verifier.AnalyzerAsync(Body("""
        string value = "none";
        if (flag)
        {
            value = token.RevealValue();
        }

        logger.LogInformation({|IG0300:value|});
        logger.LogInformation({|IG0300:flag ? token.RevealValue() : "none"|});
        """));

    [Fact]
    public Task Taint_flows_around_a_loop() => Verifier.AnalyzerAsync(Body("""
        string last = "";
        for (var i = 0; i < 3; i++)
        {
            logger.LogInformation({|IG0300:last|});
            last = key.RevealValue();
        }
        """));

    [Fact]
    public Task Derived_numbers_and_booleans_disclose_nothing() => Verifier.AnalyzerAsync(Body("""
        var value = token.RevealValue();
        logger.LogInformation("Length {Length}", value.Length);
        logger.LogInformation("Empty {Empty}", string.IsNullOrEmpty(value));
        logger.LogInformation("Hash {Hash}", value.GetHashCode());
        """));

    [Fact]
    public Task Console_debug_trace_serilog_and_activity_are_sinks() => Verifier.AnalyzerAsync(Body("""
        var value = token.RevealValue();
        Console.WriteLine({|IG0300:value|});
        Console.Error.WriteLine({|IG0300:value|});
        Debug.WriteLine({|IG0300:value|});
        Trace.TraceInformation({|IG0300:value|});
        Serilog.Log.Information("{Token}", {|IG0300:value|});
        Activity.Current?.SetTag("auth", {|IG0300:value|});
        Activity.Current?.SetTag("expires", token.ExpiresAt);
        """));

    [Fact]
    public Task Exception_message_is_a_sink() => Verifier.AnalyzerAsync(Body("""
        var value = token.RevealValue();
        if (flag)
        {
            throw new InvalidOperationException("Rejected token " + {|IG0300:value|});
        }

        throw new InvalidOperationException("Rejected " + token.TokenType + " token, expires " + token.ExpiresAt);
        """));

    [Fact]
    public Task LoggerMessage_partial_methods_are_sinks() => Verifier.AnalyzerAsync(Usings + """
        partial class C
        {
            [LoggerMessage(1, LogLevel.Information, "Token {Token}")]
            static partial void LogToken(ILogger logger, string token);
            static partial void LogToken(ILogger logger, string token) { }

            void M(ILogger logger, AccessToken token)
            {
                LogToken(logger, {|IG0300:token.RevealValue()|});
                LogToken(logger, token.TokenType);
            }
        }
        """);

    [Fact]
    public Task Anonymous_objects_taint_only_the_member_that_holds_the_token() => Verifier.AnalyzerAsync(Body("""
        var value = token.RevealValue();
        var call = new { User = "alice", Token = value };
        logger.LogInformation("{User}", call.User);
        logger.LogInformation("{Token}", {|IG0300:call.Token|});
        logger.LogInformation("{@Call}", {|IG0300:call|});
        logger.LogInformation("{@Call}", new { User = "alice", Token = {|IG0300:value|} });
        logger.LogInformation("{@Call}", new { User = "alice", token.ExpiresAt });
        """));

    [Fact]
    public Task Records_tuples_and_collections_carry_the_token() => Verifier.AnalyzerAsync(Usings + """
        record Credentials(string User, string Secret);

        class C
        {
            void M(ILogger logger, AccessToken token)
            {
                var value = token.RevealValue();
                var credentials = new Credentials("alice", value);
                logger.LogInformation("{User}", credentials.User);
                logger.LogInformation("{Creds}", {|IG0300:credentials|});
                var pair = (Name: "alice", Secret: value);
                logger.LogInformation("{Name}", pair.Name);
                logger.LogInformation("{Secret}", {|IG0300:pair.Secret|});
                var list = new List<string> { "a", value };
                logger.LogInformation({|IG0300:string.Join(",", list)|});
                var map = new Dictionary<string, string>();
                map["auth"] = value;
                logger.LogInformation("{Map}", {|IG0300:map|});
            }
        }
        """);

    [Fact]
    public Task Awaited_token_accessors_and_saved_tokens() => Verifier.AnalyzerAsync(Body("""
        var access = await tokens.GetAsync();
        logger.LogInformation("{Token}", access);
        logger.LogInformation("{Token}", {|IG0300:access.RevealValue()|});
        var saved = await context.GetTokenAsync("access_token");
        logger.LogInformation("{Token}", {|IG0300:saved|});
        logger.LogInformation("{Token}", {|IG0300:(await tokens.GetAsync()).RevealValue()|});
        """));

    [Fact]
    public Task Msal_and_duende_token_responses() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            void M(ILogger logger, Microsoft.Identity.Client.AuthenticationResult result, Duende.IdentityModel.Client.TokenResponse response, IdentityModel.Client.TokenResponse legacy)
            {
                logger.LogInformation("{Token}", {|IG0300:result.AccessToken|});
                logger.LogInformation("{Token}", {|IG0300:result.IdToken|});
                logger.LogInformation("{Expires}", result.ExpiresOn);
                logger.LogInformation("{Token}", {|IG0300:response.AccessToken|});
                logger.LogInformation("{Token}", {|IG0300:response.RefreshToken|});
                logger.LogInformation("{Token}", {|IG0300:response.IdentityToken|});
                logger.LogInformation("{Error} {ExpiresIn}", response.Error, response.ExpiresIn);
                logger.LogInformation("{Token}", {|IG0300:legacy.AccessToken|});
            }
        }
        """);

    [Fact]
    public Task Authorization_headers_of_http_client_requests() => Verifier.AnalyzerAsync(Body("""
        logger.LogInformation("{Header}", {|IG0300:request.Headers.Authorization|});
        logger.LogInformation("{Header}", {|IG0300:request.Headers.Authorization?.Parameter|});
        logger.LogInformation("{Scheme}", request.Headers.Authorization?.Scheme);
        var header = request.Headers.Authorization;
        logger.LogInformation({|IG0300:header!.ToString()|});
        logger.LogInformation("{Scheme}", header.Scheme);
        """));

    [Fact]
    public Task Authorization_headers_of_aspnetcore_requests() => Verifier.AnalyzerAsync(Body("""
        logger.LogInformation("{Header}", {|IG0300:context.Request.Headers["Authorization"]|});
        logger.LogInformation("{Header}", {|IG0300:context.Request.Headers.Authorization|});
        logger.LogInformation("{Header}", context.Request.Headers["Accept"]);
        logger.LogInformation("{Path}", context.Request.Path);
        if (context.Request.Headers.TryGetValue("authorization", out var header))
        {
            logger.LogInformation("{Header}", {|IG0300:header|});
        }
        """));

    [Fact]
    public Task Lambdas_see_captured_taint() => Verifier.AnalyzerAsync(Body("""
        var value = token.RevealValue();
        Action log = () => logger.LogInformation({|IG0300:value|});
        Action<string> clean = text => logger.LogInformation(text);
        """));

    [Fact]
    public Task Catch_and_finally_blocks_see_taint_from_the_try_block() => Verifier.AnalyzerAsync(Body("""
        string value = "";
        try
        {
            value = token.RevealValue();
            await Task.Delay(1);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Call failed with {Token}", {|IG0300:value|});
        }
        finally
        {
            Debug.WriteLine({|IG0300:value|});
        }
        """));

    [Fact]
    public Task A_helper_method_ends_the_flow_documented_limitation() => Verifier.AnalyzerAsync(Usings + """
        static class Fingerprint
        {
            public static string Of(string value) => value.Length.ToString();
        }

        class C
        {
            void M(ILogger logger, AccessToken token)
            {
                logger.LogInformation("{Fingerprint}", Fingerprint.Of(token.RevealValue()));
            }
        }
        """);

    [Fact]
    public Task Bodies_without_a_source_are_not_analyzed_and_code_without_token_types_is_quiet() => Verifier.AnalyzerAsync("""
        using System;
        class C
        {
            void M(string token)
            {
                Console.WriteLine(token);
            }
        }
        """);

    [Fact]
    public Task Token_passed_to_a_transport_is_not_a_leak() => Verifier.AnalyzerAsync(Body("""
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.RevealValue());
        request.Headers.TryAddWithoutValidation("X-Api-Key", key.RevealValue());
        logger.LogInformation("{Uri}", request.RequestUri);
        """));

    [Theory]
    [InlineData("accessToken", true)]
    [InlineData("apiKey", true)]
    [InlineData("APIKey", true)]
    [InlineData("password", true)]
    [InlineData("clientSecret", true)]
    [InlineData("bearer", true)]
    [InlineData("authorizationHeader", true)]
    [InlineData("githubPat", true)]
    [InlineData("maxTokens", false)]
    [InlineData("tokenCount", false)]
    [InlineData("pageToken", false)]
    [InlineData("continuationToken", false)]
    [InlineData("cancellationToken", false)]
    [InlineData("secretName", false)]
    [InlineData("query", false)]
    [InlineData("keyword", false)]
    public void Credential_parameter_names(string name, bool expected) =>
        Assert.Equal(expected, CredentialParameterNames.IsCredentialName(name));
}
