using System.Threading.Tasks;
using IdentityGuard.Analyzers.Consent;
using Xunit;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// IG0200 against consent handled at the framework level and the catch forms that do or do not handle it, compiled
/// against the real ASP.NET Core, MVC, Semantic Kernel, MCP SDK and IdentityGuard assemblies (no stand-ins). The
/// request is <c>UserFederation.GetAccessTokenAsync</c>, which is always three-legged, so no generated code is needed.
/// </summary>
public sealed class ConsentFrameworkHandlingTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using IdentityGuard.Consent;
        using IdentityGuard.Federation;
        using IdentityGuard.Providers;
        using IdentityGuard.Workload;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Diagnostics;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.DependencyInjection;

        """;

    /// <summary>A minimal API endpoint that asks for a user token and catches nothing; <c>[|…|]</c> marks the request when expected.</summary>
    private static string Endpoint(bool expected) => $$"""
        static class Endpoints
        {
            public static void Map(WebApplication app) =>
                app.MapGet("/notes", async (UserFederation federation, WorkloadAccessToken user) =>
                {
                    _ = await federation.{{(expected ? "{|IG0200:" : string.Empty)}}GetAccessTokenAsync(user, "Crm", new[] { "crm.notes.read" }){{(expected ? "|}" : string.Empty)}};
                    return Results.Ok();
                });
        }

        """;

    private const string ConsentExceptionHandler = """
        sealed class ConsentExceptionHandler : IExceptionHandler
        {
            public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
            {
                if (exception is not ConsentRequiredException { Request: { } consent })
                {
                    return false;
                }

                await Results.Json(new { url = consent.AuthorizationUrl }, statusCode: 403).ExecuteAsync(context);
                return true;
            }
        }

        """;

    [Fact]
    public Task A_registered_exception_handler_covers_the_endpoints() => Verify(Endpoint(expected: false) + ConsentExceptionHandler + """
        static class Startup
        {
            public static void Configure(IServiceCollection services) => services.AddExceptionHandler<ConsentExceptionHandler>();
        }
        """);

    [Fact]
    public Task An_exception_handler_that_is_never_registered_does_not() => Verify(Endpoint(expected: true) + ConsentExceptionHandler);

    [Fact]
    public Task Middleware_that_catches_consent_around_next_covers_the_endpoints() => Verify(Endpoint(expected: false) + """
        static class Startup
        {
            public static void Configure(WebApplication app) => app.Use(async (context, next) =>
            {
                try { await next(); }
                catch (ConsentRequiredException ex) when (ex.Request is { } consent)
                {
                    await Results.Json(new { url = consent.AuthorizationUrl }, statusCode: 403).ExecuteAsync(context);
                }
            });
        }
        """);

    [Fact]
    public Task Middleware_whose_catch_does_not_wrap_next_does_not() => Verify(Endpoint(expected: true) + """
        static class Startup
        {
            public static void Configure(WebApplication app) => app.Use(async (context, next) =>
            {
                try { context.Response.Headers.CacheControl = "no-store"; }
                catch (ConsentRequiredException ex) when (ex.Request is { } consent) { context.Response.StatusCode = 403; }
                await next();
            });
        }
        """);

    [Fact]
    public Task Middleware_that_logs_consent_and_rethrows_does_not() => Verify(Endpoint(expected: true) + """
        static class Startup
        {
            public static void Configure(WebApplication app) => app.Use(async (context, next) =>
            {
                try { await next(); }
                catch (ConsentRequiredException ex) { Console.Error.WriteLine(ex.Message); throw; }
            });
        }
        """);

    [Fact]
    public Task A_middleware_class_added_with_UseMiddleware_covers_the_endpoints() => Verify(Endpoint(expected: false) + """
        sealed class ConsentMiddleware(RequestDelegate next)
        {
            public async Task InvokeAsync(HttpContext context)
            {
                try { await next(context); }
                catch (Exception ex) when (ConsentRequiredException.TryFind(ex, out var consent))
                {
                    await Results.Json(new { url = consent.Request?.AuthorizationUrl }, statusCode: 403).ExecuteAsync(context);
                }
            }
        }

        static class Startup
        {
            public static void Configure(WebApplication app) => app.UseMiddleware<ConsentMiddleware>();
        }
        """);

    [Fact]
    public Task A_global_MVC_exception_filter_covers_actions_but_not_minimal_API_endpoints() => Verify(Endpoint(expected: true) + """
        sealed class ConsentFilter : Microsoft.AspNetCore.Mvc.Filters.IExceptionFilter
        {
            public void OnException(Microsoft.AspNetCore.Mvc.Filters.ExceptionContext context)
            {
                if (context.Exception is ConsentRequiredException { Request: { } consent })
                {
                    context.Result = new Microsoft.AspNetCore.Mvc.ObjectResult(new { url = consent.AuthorizationUrl }) { StatusCode = 403 };
                    context.ExceptionHandled = true;
                }
            }
        }

        [Microsoft.AspNetCore.Mvc.ApiController, Microsoft.AspNetCore.Mvc.Route("notes")]
        sealed class NotesController(UserFederation federation) : Microsoft.AspNetCore.Mvc.ControllerBase
        {
            [Microsoft.AspNetCore.Mvc.HttpGet]
            public async Task<string> GetAsync(WorkloadAccessToken user) =>
                (await federation.GetAccessTokenAsync(user, "Crm", new[] { "crm.notes.read" })).ToString();
        }

        static class Startup
        {
            public static void Configure(IServiceCollection services) => services.AddControllers(options => options.Filters.Add<ConsentFilter>());
        }
        """);

    [Fact]
    public Task A_kernel_filter_covers_kernel_functions_but_not_MCP_tools() => Verify("""
        sealed class ConsentFilter : Microsoft.SemanticKernel.IFunctionInvocationFilter
        {
            public async Task OnFunctionInvocationAsync(Microsoft.SemanticKernel.FunctionInvocationContext context, Func<Microsoft.SemanticKernel.FunctionInvocationContext, Task> next)
            {
                try { await next(context); }
                catch (ConsentRequiredException ex) when (ex.Request is { } consent)
                {
                    context.Result = new Microsoft.SemanticKernel.FunctionResult(context.Function, "Approve: " + consent.AuthorizationUrl);
                }
            }
        }

        sealed class Tools(UserFederation federation, WorkloadAccessToken user)
        {
            [Microsoft.SemanticKernel.KernelFunction]
            public async Task<string> NotesAsync() => (await federation.GetAccessTokenAsync(user, "Crm", new[] { "crm.notes.read" })).ToString();

            [ModelContextProtocol.Server.McpServerTool]
            public async Task<string> McpNotesAsync() => (await federation.{|IG0200:GetAccessTokenAsync(user, "Crm", new[] { "crm.notes.read" })|}).ToString();
        }

        static class Startup
        {
            public static void Configure(Microsoft.SemanticKernel.Kernel kernel) => kernel.FunctionInvocationFilters.Add(new ConsentFilter());
        }
        """);

    [Fact]
    public Task An_MCP_call_tool_filter_covers_MCP_tools_and_an_HTTP_handler_does_not() => Verify(ConsentExceptionHandler + """
        [ModelContextProtocol.Server.McpServerToolType]
        sealed class Tools(UserFederation federation, WorkloadAccessToken user)
        {
            [ModelContextProtocol.Server.McpServerTool]
            public async Task<string> NotesAsync() => (await federation.{|IG0200:GetAccessTokenAsync(user, "Crm", new[] { "crm.notes.read" })|}).ToString();
        }

        static class Startup
        {
            public static void Configure(IServiceCollection services) => services.AddExceptionHandler<ConsentExceptionHandler>();
        }
        """);

    [Fact]
    public Task An_MCP_call_tool_filter_that_catches_consent_covers_the_tools() => Verify("""
        [ModelContextProtocol.Server.McpServerToolType]
        sealed class Tools(UserFederation federation, WorkloadAccessToken user)
        {
            [ModelContextProtocol.Server.McpServerTool]
            public async Task<string> NotesAsync() => (await federation.GetAccessTokenAsync(user, "Crm", new[] { "crm.notes.read" })).ToString();
        }

        static class Startup
        {
            public static void Configure(IServiceCollection services) =>
                services.AddMcpServer().WithRequestFilters(filters => filters.AddCallToolFilter(next => async (request, ct) =>
                {
                    try { return await next(request, ct); }
                    catch (ConsentRequiredException ex) when (ex.Request is { } consent)
                    {
                        return new ModelContextProtocol.Protocol.CallToolResult { IsError = true, Content = [new ModelContextProtocol.Protocol.TextContentBlock { Text = consent.AuthorizationUrl.ToString() }] };
                    }
                }));
        }
        """);

    [Fact]
    public Task A_helper_that_runs_the_body_inside_a_consent_catch_covers_the_lambda() => Verify("""
        static class Endpoints
        {
            public static void Map(WebApplication app) =>
                app.MapGet("/notes", (UserFederation federation, WorkloadAccessToken user) => Consent.RunAsync(async () =>
                {
                    _ = await federation.GetAccessTokenAsync(user, "Crm", new[] { "crm.notes.read" });
                    return Results.Ok();
                }));

            public static void MapBare(WebApplication app) =>
                app.MapGet("/bare", (UserFederation federation, WorkloadAccessToken user) => Consent.RunLoggedAsync(async () =>
                {
                    _ = await federation.{|IG0200:GetAccessTokenAsync(user, "Crm", new[] { "crm.notes.read" })|};
                    return Results.Ok();
                }));
        }

        static class Consent
        {
            public static async Task<IResult> RunAsync(Func<Task<IResult>> body)
            {
                try { return await body(); }
                catch (ConsentRequiredException ex) when (ex.Request is { } consent) { return Results.Json(new { url = consent.AuthorizationUrl }, statusCode: 403); }
            }

            public static async Task<IResult> RunLoggedAsync(Func<Task<IResult>> body)
            {
                try { return await body(); }
                catch (ConsentRequiredException ex) { Console.Error.WriteLine(ex.Message); throw; }
            }
        }
        """);

    [Fact]
    public Task A_property_pattern_on_the_consent_type_handles_consent() => Verify("""
        sealed class Agent(UserFederation federation, WorkloadAccessToken user)
        {
            public async Task<string> RunAsync()
            {
                try { return (await federation.GetAccessTokenAsync(user, "Crm", new[] { "crm.notes.read" })).ToString(); }
                catch (Exception ex) when (ex is ConsentRequiredException { Request: { } consent }) { return consent.AuthorizationUrl.ToString(); }
            }
        }
        """);

    [Fact]
    public Task A_base_type_catch_filtered_to_exclude_consent_does_not_handle_it() => Verify("""
        sealed class Agent(UserFederation federation, WorkloadAccessToken user)
        {
            public async Task<string> RunAsync()
            {
                try { return (await federation.{|IG0200:GetAccessTokenAsync(user, "Crm", new[] { "crm.notes.read" })|}).ToString(); }
                catch (CredentialUnavailableException ex) when (ex is not ConsentRequiredException) { return ex.Message; }
            }
        }
        """);

    [Fact]
    public Task A_hosted_service_is_not_covered_by_a_request_level_handler() => Verify(ConsentExceptionHandler + """
        sealed class Sync(UserFederation federation, WorkloadAccessToken user) : Microsoft.Extensions.Hosting.BackgroundService
        {
            protected override async Task ExecuteAsync(CancellationToken stoppingToken) =>
                _ = await federation.{|IG0200:GetAccessTokenAsync(user, "Crm", new[] { "crm.notes.read" }, cancellationToken: stoppingToken)|};
        }

        static class Startup
        {
            public static void Configure(IServiceCollection services) => services.AddExceptionHandler<ConsentExceptionHandler>();
        }
        """);

    private static Task Verify(string source) => RealVerifier<ConsentHandlingAnalyzer>.AnalyzerAsync(Usings + source);
}
