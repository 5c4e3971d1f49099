using System.Threading.Tasks;
using IdentityGuard.Analyzers.Consent;
using Xunit;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// IG0203: <c>catch (ConsentRequiredException)</c> around a call that can only reach it through Refit never runs,
/// because Refit wraps what a handler throws in <c>ApiRequestException</c>. Compiled against the real Refit and
/// IdentityGuard assemblies.
/// </summary>
public sealed class ConsentCatchAroundRefitTests
{
    private const string Api = """
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;
        using IdentityGuard.Consent;
        using Refit;

        public interface ICrmApi
        {
            [Get("/notes/{id}")]
            Task<string> GetNotesAsync(string id);
        }

        """;

    [Fact]
    public Task A_consent_catch_around_a_refit_call_is_reported() =>
        RealVerifier<ConsentCatchAroundRefitAnalyzer>.AnalyzerAsync(Api + """
            public static class Agent
            {
                public static async Task<string> RunAsync(ICrmApi crm)
                {
                    try
                    {
                        return await crm.GetNotesAsync("42");
                    }
                    {|IG0203:catch|} (ConsentRequiredException ex)
                    {
                        return ex.Request!.AuthorizationUrl.ToString();
                    }
                }
            }
            """);

    [Fact]
    public Task A_filtered_consent_catch_around_a_refit_call_is_reported_too() =>
        RealVerifier<ConsentCatchAroundRefitAnalyzer>.AnalyzerAsync(Api + """
            public static class Agent
            {
                public static async Task<string> RunAsync(ICrmApi crm)
                {
                    try
                    {
                        return await crm.GetNotesAsync("42");
                    }
                    {|IG0203:catch|} (ConsentRequiredException ex) when (ex.Request is { } request)
                    {
                        return request.AuthorizationUrl.ToString();
                    }
                }
            }
            """);

    [Fact]
    public Task The_refit_form_that_works_is_not_reported() =>
        RealVerifier<ConsentCatchAroundRefitAnalyzer>.AnalyzerAsync(Api + """
            public static class Agent
            {
                public static async Task<string> RunAsync(ICrmApi crm)
                {
                    try
                    {
                        return await crm.GetNotesAsync("42");
                    }
                    catch (ApiRequestException ex) when (ConsentRequiredException.TryFind(ex, out var consent))
                    {
                        return consent.Request!.AuthorizationUrl.ToString();
                    }
                }
            }
            """);

    [Fact]
    public Task A_consent_catch_around_an_HttpClient_call_is_not_reported() =>
        RealVerifier<ConsentCatchAroundRefitAnalyzer>.AnalyzerAsync(Api + """
            public static class Agent
            {
                public static async Task<string> RunAsync(HttpClient crm)
                {
                    try
                    {
                        return await crm.GetStringAsync("/notes/42");
                    }
                    catch (ConsentRequiredException ex)
                    {
                        return ex.Request!.AuthorizationUrl.ToString();
                    }
                }
            }
            """);

    [Fact]
    public Task A_try_that_also_asks_for_the_token_directly_is_not_reported() =>
        RealVerifier<ConsentCatchAroundRefitAnalyzer>.AnalyzerAsync(Api + """
            public static class Agent
            {
                public static async Task<string> RunAsync(ICrmApi crm, IdentityGuard.Providers.OAuth2TokenSource tokens)
                {
                    try
                    {
                        await tokens.GetAsync(1);
                        return await crm.GetNotesAsync("42");
                    }
                    catch (ConsentRequiredException ex)
                    {
                        return ex.Request!.AuthorizationUrl.ToString();
                    }
                }
            }
            """);

    [Fact]
    public Task A_try_that_calls_a_helper_of_this_compilation_is_not_reported() =>
        RealVerifier<ConsentCatchAroundRefitAnalyzer>.AnalyzerAsync(Api + """
            public static class Agent
            {
                public static async Task<string> RunAsync(ICrmApi crm)
                {
                    try
                    {
                        await PrefetchAsync();
                        return await crm.GetNotesAsync("42");
                    }
                    catch (ConsentRequiredException ex)
                    {
                        return ex.Request!.AuthorizationUrl.ToString();
                    }
                }

                private static Task PrefetchAsync() => Task.CompletedTask;
            }
            """);
}
