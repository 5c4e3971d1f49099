using System.Threading.Tasks;
using IdentityGuard.Analyzers.Descriptors;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verifier = IdentityGuard.Analyzers.Tests.RealVerifier<IdentityGuard.Analyzers.TokenFlow.TokenFlowAnalyzer>;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// IG0301 for HTTP endpoints, against the real ASP.NET Core assemblies: a token value sent back to an HTTP caller (a
/// minimal-API handler's result, <c>Results</c>/<c>TypedResults</c>, a controller action or its <c>Ok(…)</c>, the
/// response body) is disclosed as surely as one returned from an agent tool.
/// </summary>
public class TokenReturnedToHttpCallerTests
{
    private const string Usings = """
        using System;
        using System.Threading.Tasks;
        using IdentityGuard.Tokens;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;

        """;

    private static DiagnosticResult IG0301(int markup, string what) =>
        new DiagnosticResult(Rules.TokenReturnedFromTool).WithLocation(markup).WithArguments(what, "the HTTP caller");

    [Fact]
    public Task Minimal_api_results_and_handler_returns() => Verifier.AnalyzerAsync(Usings + """
        static class Endpoints
        {
            public static void Map(IEndpointRouteBuilder app, AccessToken token)
            {
                app.MapGet("/a", () => Results.Ok({|#0:token.RevealValue()|}));
                app.MapGet("/b", () => TypedResults.Ok(new { Token = {|#1:token.RevealValue()|} }));
                app.MapGet("/c", () => {|#2:token.RevealValue()|});
                app.MapPost("/d", async (HttpContext context) => await context.Response.WriteAsync("Bearer " + {|#3:token.RevealValue()|}));
            }
        }
        """,
        IG0301(0, "the HTTP response built by Results.Ok"),
        IG0301(1, "the HTTP response built by TypedResults.Ok"),
        IG0301(2, "HTTP endpoint 'lambda passed to EndpointRouteBuilderExtensions.MapGet'"),
        IG0301(3, "the HTTP response built by HttpResponseWritingExtensions.WriteAsync"));

    [Fact]
    public Task Controller_actions_and_their_results() => Verifier.AnalyzerAsync(Usings + """
        public sealed class TokenController : ControllerBase
        {
            private readonly AccessToken _token = null!;

            public string Get() => {|#0:_token.RevealValue()|};

            public IActionResult Peek() => Ok({|#1:_token.RevealValue()|});

            public IActionResult Wrapped() => new OkObjectResult(new { Value = {|#2:_token.RevealValue()|} });
        }
        """,
        IG0301(0, "HTTP endpoint 'TokenController.Get'"),
        IG0301(1, "the HTTP response built by ControllerBase.Ok"),
        IG0301(2, "the HTTP response built by OkObjectResult"));

    [Fact]
    public Task Results_and_actions_without_the_value_are_fine() => Verifier.AnalyzerAsync(Usings + """
        public sealed class StatusController : ControllerBase
        {
            private readonly AccessToken _token = null!;

            public IActionResult Status() => Ok(new { _token.ExpiresAt, _token.Scope, Token = _token });

            [NonAction]
            public string Reveal() => _token.RevealValue();

            private string Helper() => _token.RevealValue();
        }

        static class Endpoints
        {
            public static void Map(IEndpointRouteBuilder app, AccessToken token, HttpClient http)
            {
                app.MapGet("/status", () => Results.Ok(new { token.ExpiresAt, Length = token.RevealValue().Length }));
                app.MapGet("/text", () => token.ToString());
                Func<string> notAnEndpoint = () => token.RevealValue();
            }
        }

        sealed class HttpClient { }
        """);
}
