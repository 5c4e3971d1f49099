using System.Threading.Tasks;
using IdentityGuard.Analyzers.TokenFlow;
using Xunit;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// IG0303: the caller's bearer token, read from the inbound <c>Authorization</c> header, forwarded on an outgoing
/// request (token passthrough). Compiled against the real ASP.NET Core and System.Net.Http assemblies.
/// </summary>
public sealed class TokenPassthroughTests
{
    private const string Usings = """
        using System.Net.Http;
        using System.Net.Http.Headers;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;

        """;

    [Fact]
    public Task The_inbound_header_forwarded_through_a_local_is_reported() =>
        RealVerifier<TokenPassthroughAnalyzer>.AnalyzerAsync(Usings + """
            public static class Tool
            {
                public static Task<string> RunAsync(HttpContext context, HttpClient crm)
                {
                    var bearer = context.Request.Headers.Authorization.ToString();
                    var token = bearer.Substring("Bearer ".Length);
                    crm.DefaultRequestHeaders.Authorization = {|IG0303:new AuthenticationHeaderValue("Bearer", token)|};
                    return crm.GetStringAsync("https://crm.example/notes");
                }
            }
            """);

    [Fact]
    public Task The_inbound_header_copied_by_name_is_reported() =>
        RealVerifier<TokenPassthroughAnalyzer>.AnalyzerAsync(Usings + """
            public static class Tool
            {
                public static Task<HttpResponseMessage> RunAsync(HttpRequest request, HttpClient crm)
                {
                    using var outgoing = new HttpRequestMessage(HttpMethod.Get, "https://crm.example/notes");
                    {|IG0303:outgoing.Headers.TryAddWithoutValidation("Authorization", request.Headers["Authorization"].ToString())|};
                    return crm.SendAsync(outgoing);
                }
            }
            """);

    [Fact]
    public Task A_header_value_parsed_from_the_inbound_header_is_reported() =>
        RealVerifier<TokenPassthroughAnalyzer>.AnalyzerAsync(Usings + """
            public static class Tool
            {
                public static void Forward(HttpContext context, HttpClient crm)
                {
                    string header = context.Request.Headers.Authorization!;
                    crm.DefaultRequestHeaders.Authorization = {|IG0303:AuthenticationHeaderValue.Parse(header)|};
                }
            }
            """);

    [Fact]
    public Task Reading_the_inbound_header_without_forwarding_it_is_not_reported() =>
        RealVerifier<TokenPassthroughAnalyzer>.AnalyzerAsync(Usings + """
            public static class Tool
            {
                public static bool HasBearer(HttpContext context) =>
                    context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", System.StringComparison.Ordinal);
            }
            """);

    [Fact]
    public Task Another_header_forwarded_is_not_reported() =>
        RealVerifier<TokenPassthroughAnalyzer>.AnalyzerAsync(Usings + """
            public static class Tool
            {
                public static void Forward(HttpRequest request, HttpRequestMessage outgoing)
                {
                    var correlation = request.Headers["X-Correlation-Id"].ToString();
                    outgoing.Headers.TryAddWithoutValidation("X-Correlation-Id", correlation);
                }
            }
            """);

    [Fact]
    public Task A_token_from_somewhere_else_is_not_reported() =>
        RealVerifier<TokenPassthroughAnalyzer>.AnalyzerAsync(Usings + """
            public static class Tool
            {
                public static void Attach(HttpClient crm, string tokenFromTheVault, HttpContext context)
                {
                    _ = context.Request.Headers.Authorization.Count;
                    crm.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokenFromTheVault);
                }
            }
            """);
}
