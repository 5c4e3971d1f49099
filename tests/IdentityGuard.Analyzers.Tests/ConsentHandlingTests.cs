using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Analyzers.Consent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// IG0200 (user-federation token request without consent handling on the way to an entry point), IG0201 (no
/// authorization callback) and IG0202 (a client wired with a user-federation token, consent handled nowhere).
/// Every compliant shape has a test, and every one of them a near miss that is still reported. The app compiles against
/// the real runtime, its ASP.NET Core and MCP integrations and the real generator's output (<see cref="ConsentApp"/>).
/// </summary>
public class ConsentHandlingTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using IdentityGuard.AspNetCore;
        using IdentityGuard.Consent;
        using IdentityGuard.Federation;
        using IdentityGuard.Generated;
        using IdentityGuard.Providers;
        using IdentityGuard.Workload;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Diagnostics;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.DependencyInjection.Extensions;

        """;

    // ---- IG0200: token requests ----

    [Fact]
    public Task Endpoint_mapped_with_the_consent_filter_handles_consent() => Verify("""
        class Program
        {
            static void Map(IEndpointRouteBuilder app) =>
                app.MapGet("/notes", async (ICrmTokens tokens, CancellationToken ct) => (await tokens.GetAsync(CrmScopes.NotesRead, ct)).ToString())
                    .RequireAuthorization()
                    .WithIdentityGuardConsent();
        }
        """);

    [Fact]
    public Task Method_group_endpoint_with_the_consent_filter_handles_consent_for_its_callees() => Verify("""
        class Program
        {
            static void Map(IEndpointRouteBuilder app) => app.MapPost("/notes", ReadAsync).WithIdentityGuardConsent();

            static Task<string> ReadAsync(ICrmTokens tokens) => Helper(tokens);

            static async Task<string> Helper(ICrmTokens tokens) => (await tokens.GetAsync(CrmScopes.NotesRead)).ToString();
        }
        """);

    [Fact]
    public Task The_consent_filter_on_one_endpoint_does_not_cover_another() => Verify("""
        class Program
        {
            static void Map(IEndpointRouteBuilder app)
            {
                app.MapGet("/covered", async (ICrmTokens tokens) => (await tokens.GetAsync(CrmScopes.NotesRead)).ToString()).WithIdentityGuardConsent();
                app.MapGet("/bare", async (ICrmTokens tokens) => (await tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|}).ToString());
            }
        }
        """);

    [Fact]
    public Task The_consent_exception_handler_covers_every_endpoint() => Verify("""
        class Program
        {
            static void Configure(IServiceCollection services, IConfiguration configuration) => services.AddIdentityGuard(configuration).AddConsentExceptionHandler();

            static void Map(IEndpointRouteBuilder app) =>
                app.MapGet("/notes", async (ICrmTokens tokens) => (await tokens.GetAsync(CrmScopes.NotesRead)).ToString());
        }
        """);

    [Fact]
    public Task Near_miss_without_the_consent_exception_handler_an_endpoint_is_reported() => Verify("""
        class Program
        {
            static void Configure(IServiceCollection services, IConfiguration configuration) => services.AddIdentityGuard(configuration).AddUserFederation();

            static void Map(IEndpointRouteBuilder app)
            {
                app.MapIdentityGuardConsentCallback();
                app.MapGet("/notes", async (ICrmTokens tokens) => (await tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|}).ToString());
            }
        }
        """);

    [Fact]
    public Task IdentityGuard_MCP_integration_covers_every_tool() => Verify("""
        class Program
        {
            static void Configure(IServiceCollection services, IConfiguration configuration) => services.AddIdentityGuard(configuration).AddMcp();
        }

        class Tools
        {
            public async Task<string> ReadAsync(ICrmTokens tokens) => (await tokens.GetAsync(CrmScopes.NotesRead)).ToString();
        }
        """);

    [Fact]
    public Task Near_miss_without_the_MCP_integration_a_tool_is_reported() => Verify("""
        class Program
        {
            static void Configure(IServiceCollection services, IConfiguration configuration) => services.AddIdentityGuard(configuration).AddVault();
        }

        class Tools
        {
            public async Task<string> ReadAsync(ICrmTokens tokens) => (await tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|}).ToString();
        }
        """);

    [Fact]
    public Task A_catch_of_a_wrapping_exception_filtered_with_TryFind_handles_consent() => Verify("""
        class Agent
        {
            public async Task<string> RunAsync(ICrmTokens tokens)
            {
                try
                {
                    return (await tokens.GetAsync(CrmScopes.NotesRead)).ToString();
                }
                catch (InvalidOperationException ex) when (ConsentRequiredException.TryFind(ex, out var consent))
                {
                    return consent!.Request!.AuthorizationUrl.ToString();
                }
            }
        }
        """);

    [Fact]
    public Task Accessor_call_in_an_endpoint_lambda_without_a_catch() => Verify("""
        class Program
        {
            static void Map(IEndpointRouteBuilder app) =>
                app.MapGet("/notes", async (ICrmTokens tokens, CancellationToken ct) =>
                {
                    var token = await tokens.{|IG0200:GetAsync(CrmScopes.NotesRead, ct)|};
                    return token.ToString();
                });
        }
        """);

    [Fact]
    public Task UserFederation_GetAccessTokenAsync_without_a_catch() => Verify("""
        class Agent
        {
            public async Task<string> RunAsync(UserFederation federation, WorkloadAccessToken user)
            {
                var token = await federation.{|IG0200:GetAccessTokenAsync(user, "Drive", new[] { "drive.readonly" })|};
                return token.ToString();
            }
        }
        """);

    [Fact]
    public Task Message_names_the_provider_and_the_entry_point() => Verify(
        """
        class Agent
        {
            public async Task<string> RunAsync(ICrmTokens tokens) => (await Helper(tokens)).ToString();

            private static async Task<object> Helper(ICrmTokens tokens) => await tokens.GetAsync(CrmScopes.NotesRead);
        }
        """,
        new DiagnosticResult("IG0200", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .WithSpan(21, 81, 21, 110)
            .WithArguments("ICrmTokens.GetAsync", "Crm", "Agent.RunAsync"));

    [Fact]
    public Task Accessor_of_a_client_credentials_provider_is_not_a_user_token_request() => Verify("""
        class Agent
        {
            public async Task<string> RunAsync(IReportsTokens tokens) => (await tokens.GetAsync(ReportsScopes.SalesRead)).ToString();
        }
        """);

    [Fact]
    public Task Token_interface_without_a_generated_user_federation_provider_is_not_recognized() => Verify("""
        namespace Other
        {
            public enum MailScopes : ulong { None = 0 }
            public interface IMailTokens { Task<object> GetAsync(MailScopes scopes); }
            class Agent
            {
                public async Task<object> RunAsync(IMailTokens tokens) => await tokens.GetAsync(MailScopes.None);
            }
        }
        """);

    // ---- IG0200 compliant shape: a catch in the same method ----

    [Fact]
    public Task Catch_of_ConsentRequiredException_around_the_call() => Verify("""
        class Agent
        {
            public async Task<string> RunAsync(ICrmTokens tokens)
            {
                try
                {
                    return (await tokens.GetAsync(CrmScopes.NotesRead)).ToString();
                }
                catch (ConsentRequiredException ex) when (ex.Request is { } consent)
                {
                    return "Please approve: " + consent.AuthorizationUrl;
                }
            }
        }
        """);

    [Fact]
    public Task Catch_of_the_IdentityGuard_base_type() => Verify("""
        class Agent
        {
            public async Task<string> RunAsync(ICrmTokens tokens)
            {
                try
                {
                    return (await tokens.GetAsync(CrmScopes.NotesRead)).ToString();
                }
                catch (CredentialUnavailableException ex)
                {
                    return ex.Message;
                }
            }
        }
        """);

    [Fact]
    public Task General_catch_that_tests_for_consent_in_its_filter_or_body() => Verify("""
        class Agent
        {
            public async Task<string> FilterAsync(ICrmTokens tokens)
            {
                try { return (await tokens.GetAsync(CrmScopes.NotesRead)).ToString(); }
                catch (Exception ex) when (ex is ConsentRequiredException) { return "approve first"; }
            }

            public async Task<string> BodyAsync(ICrmTokens tokens)
            {
                try { return (await tokens.GetAsync(CrmScopes.NotesRead)).ToString(); }
                catch (Exception ex)
                {
                    if (ex is ConsentRequiredException consent) { return "approve: " + consent.Request?.AuthorizationUrl; }
                    throw;
                }
            }
        }
        """);

    [Fact]
    public Task Near_miss_general_catch_that_ignores_consent() => Verify("""
        class Agent
        {
            public async Task<string> RunAsync(ICrmTokens tokens)
            {
                try { return (await tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|}).ToString(); }
                catch (Exception ex) { return "failed: " + ex.Message; }
            }
        }
        """);

    [Fact]
    public Task Near_miss_catch_that_only_rethrows() => Verify("""
        class Agent
        {
            public async Task<string> RethrowAsync(ICrmTokens tokens)
            {
                try { return (await tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|}).ToString(); }
                catch (ConsentRequiredException) { throw; }
            }

            public async Task<string> ThrowAgainAsync(ICrmTokens tokens)
            {
                try { return (await tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|}).ToString(); }
                catch (ConsentRequiredException ex) { throw ex; }
            }
        }
        """);

    [Fact]
    public Task Near_miss_call_in_the_catch_or_finally_block() => Verify("""
        class Agent
        {
            public async Task<string> RunAsync(ICrmTokens tokens)
            {
                try { return "cached"; }
                catch (ConsentRequiredException) { return (await tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|}).ToString(); }
                finally { await tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|}; }
            }
        }
        """);

    [Fact]
    public Task Near_miss_lambda_created_inside_the_try_runs_later() => Verify("""
        class Agent
        {
            public Func<Task<object>> Create(ICrmTokens tokens)
            {
                try
                {
                    return async () => await tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|};
                }
                catch (ConsentRequiredException)
                {
                    return () => Task.FromResult<object>("approve first");
                }
            }
        }
        """);

    // ---- IG0200 compliant shape: the callers catch (the ClientBriefAgent shape) ----

    [Fact]
    public Task Helper_whose_only_caller_catches() => Verify("""
        public sealed class BriefWriter
        {
            private readonly ICrmTokens _tokens;
            public BriefWriter(ICrmTokens tokens) { _tokens = tokens; }

            public async Task<string> WriteAsync(string clientId, CancellationToken cancellationToken)
            {
                _ = await _tokens.GetAsync(CrmScopes.NotesRead, cancellationToken);
                return "brief for " + clientId;
            }
        }

        class Host
        {
            static void Map(IEndpointRouteBuilder app) => app.MapPost("/briefs", WriteBriefAsync);

            private static async Task<object> WriteBriefAsync(string clientId, BriefWriter writer, CancellationToken cancellationToken)
            {
                try
                {
                    return await writer.WriteAsync(clientId, cancellationToken);
                }
                catch (ConsentRequiredException ex) when (ex.Request is { } consent)
                {
                    return consent.AuthorizationUrl;
                }
            }
        }
        """);

    [Fact]
    public Task Two_levels_up_through_an_interface_and_a_local_function() => Verify("""
        public interface INotes { Task<string> ReadAsync(); }

        public sealed class Notes : INotes
        {
            private readonly ICrmTokens _tokens;
            public Notes(ICrmTokens tokens) { _tokens = tokens; }

            public async Task<string> ReadAsync()
            {
                return await Fetch();

                async Task<string> Fetch() => (await _tokens.GetAsync(CrmScopes.NotesRead)).ToString();
            }
        }

        class Tool
        {
            private static Task<string> Middle(INotes notes) => notes.ReadAsync();

            public static async Task<string> RunAsync(INotes notes)
            {
                try { return await Middle(notes); }
                catch (ConsentRequiredException) { return "approve first"; }
            }
        }
        """);

    [Fact]
    public Task Near_miss_helper_with_one_caller_that_does_not_catch() => Verify("""
        class Agent
        {
            private readonly ICrmTokens _tokens;
            public Agent(ICrmTokens tokens) { _tokens = tokens; }

            private async Task<string> NotesAsync() => (await _tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|}).ToString();

            public async Task<string> GuardedAsync()
            {
                try { return await NotesAsync(); }
                catch (ConsentRequiredException) { return "approve first"; }
            }

            public Task<string> UnguardedAsync() => NotesAsync();
        }
        """);

    [Fact]
    public Task Near_miss_helper_also_used_as_a_delegate() => Verify("""
        class Agent
        {
            private static ICrmTokens Tokens = null!;

            private static async Task<string> NotesAsync() => (await Tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|}).ToString();

            public static async Task<string> GuardedAsync()
            {
                try { return await NotesAsync(); }
                catch (ConsentRequiredException) { return "approve first"; }
            }

            public static void Map(IEndpointRouteBuilder app) => app.MapGet("/notes", NotesAsync);
        }
        """);

    // ---- IG0200 / IG0202 compliant shape: a consent handler is registered ----

    private const string UnhandledRequestAndWiring = """
        class Agent
        {
            public async Task<string> RunAsync(ICrmTokens tokens) => (await tokens.GetAsync(CrmScopes.NotesRead)).ToString();

            public static void Wire(IServiceCollection services) => services.AddHttpClient<Agent>().WithCrmToken(CrmScopes.NotesRead);
        }

        sealed class ChatConsentHandler : IConsentHandler
        {
            public ValueTask PresentAsync(ConsentRequest request, CancellationToken cancellationToken) => default;
        }

        """;

    [Theory]
    [InlineData("services.AddSingleton<IConsentHandler, ChatConsentHandler>();")]
    [InlineData("services.AddScoped<IConsentHandler, ChatConsentHandler>();")]
    [InlineData("services.AddTransient<IConsentHandler, ChatConsentHandler>();")]
    [InlineData("services.AddSingleton<IConsentHandler>(new ChatConsentHandler());")]
    [InlineData("services.AddSingleton<IConsentHandler>(sp => new ChatConsentHandler());")]
    [InlineData("services.AddSingleton(typeof(IConsentHandler), typeof(ChatConsentHandler));")]
    [InlineData("services.TryAddSingleton<IConsentHandler, ChatConsentHandler>();")]
    [InlineData("services.TryAddEnumerable(ServiceDescriptor.Singleton<IConsentHandler, ChatConsentHandler>());")]
    public Task Registered_consent_handler(string registration) => Verify(UnhandledRequestAndWiring + $$"""
        static class Startup
        {
            public static void Configure(IServiceCollection services)
            {
                {{registration}}
            }
        }
        """);

    [Fact]
    public Task Near_miss_handler_registered_only_as_its_concrete_type() => Verify("""
        class Agent
        {
            public async Task<string> RunAsync(ICrmTokens tokens) => (await tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|}).ToString();

            public static void Wire(IServiceCollection services) => services.AddHttpClient<Agent>().{|IG0202:WithCrmToken(CrmScopes.NotesRead)|};
        }

        sealed class ChatConsentHandler : IConsentHandler
        {
            public ValueTask PresentAsync(ConsentRequest request, CancellationToken cancellationToken) => default;
        }

        static class Startup
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddSingleton<ChatConsentHandler>();
                services.AddTransient<ChatConsentHandler>();
            }
        }
        """);

    [Fact]
    public Task Near_miss_handler_resolved_but_never_registered() => Verify("""
        class Agent
        {
            public async Task<string> RunAsync(ICrmTokens tokens) => (await tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|}).ToString();

            public static void Wire(IServiceCollection services) => services.AddHttpClient<Agent>().{|IG0202:WithCrmToken(CrmScopes.NotesRead)|};

            // Asking the container for a handler is not registering one: without a registration these find none.
            public static bool HasHandler(IServiceProvider provider) =>
                provider.GetService<IConsentHandler>() is not null || provider.GetServices<IConsentHandler>().GetEnumerator().MoveNext();
        }
        """);

    // ---- IG0200 / IG0202 compliant shape: a global exception handler ----

    [Fact]
    public Task Exception_handler_that_handles_consent_but_is_never_registered() => Verify(UnhandledRequestAndWiring.Replace("tokens.GetAsync(CrmScopes.NotesRead)", "tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|}", StringComparison.Ordinal) + """
        // Registered with AddExceptionHandler<T>() it would cover the request (see ConsentFrameworkHandlingTests); the
        // test for consent still counts as consent handled somewhere for IG0202.
        sealed class ConsentExceptionHandler : IExceptionHandler
        {
            public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken) =>
                new(exception is ConsentRequiredException);
        }
        """);

    [Fact]
    public Task UseExceptionHandler_lambda_that_handles_consent() => Verify(UnhandledRequestAndWiring + """
        static class Startup
        {
            public static void Configure(IApplicationBuilder app) =>
                app.UseExceptionHandler(errors => errors.Run(context =>
                    context.Features.Get<IExceptionHandlerFeature>()?.Error is ConsentRequiredException consent
                        ? context.Response.WriteAsync(consent.Request?.AuthorizationUrl.ToString() ?? "consent required")
                        : Task.CompletedTask));
        }
        """);

    [Fact]
    public Task Near_miss_exception_handler_that_ignores_consent() => Verify("""
        class Agent
        {
            public async Task<string> RunAsync(ICrmTokens tokens) => (await tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|}).ToString();
        }

        sealed class LoggingExceptionHandler : IExceptionHandler
        {
            public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken) =>
                new(exception is InvalidOperationException);
        }
        """);

    // ---- IG0202: HTTP client wiring ----

    [Fact]
    public Task Wiring_of_a_user_federation_provider_with_consent_handled_nowhere() => Verify("""
        class Startup
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<Startup>().{|IG0202:WithCrmToken(CrmScopes.NotesRead)|};
                services.AddHttpClient<Startup>().WithReportsToken(ReportsScopes.SalesRead);
            }
        }
        """);

    [Fact]
    public Task Wiring_with_a_catch_of_consent_anywhere() => Verify("""
        class Startup
        {
            public static void Configure(IServiceCollection services) => services.AddHttpClient<Startup>().WithCrmToken(CrmScopes.NotesRead);

            public static async Task<string> EndpointAsync(Func<Task<string>> callCrm)
            {
                try { return await callCrm(); }
                catch (ConsentRequiredException ex) { return "approve: " + ex.Request?.AuthorizationUrl; }
            }
        }
        """);

    [Fact]
    public Task Near_miss_wiring_with_only_a_rethrowing_catch() => Verify("""
        class Startup
        {
            public static void Configure(IServiceCollection services) => services.AddHttpClient<Startup>().{|IG0202:WithCrmToken(CrmScopes.NotesRead)|};

            public static async Task<string> EndpointAsync(Func<Task<string>> callCrm)
            {
                try { return await callCrm(); }
                catch (ConsentRequiredException) { throw; }
            }
        }
        """);

    // ---- IG0201: authorization callback ----

    [Fact]
    public Task User_federation_without_a_callback_is_reported_once() => Verify("""
        static class Startup
        {
            public static void Configure(IServiceCollection services, IConfiguration configuration)
            {
                services.AddIdentityGuard(configuration).{|IG0201:AddUserFederation()|};
                services.AddIdentityGuard(configuration).AddUserFederation(options => options.RedirectUri = new Uri("https://agent.example.com/cb"));
            }
        }
        """);

    [Theory]
    [InlineData("((IEndpointRouteBuilder)null!).MapIdentityGuardConsentCallback();")]
    [InlineData("new LoopbackConsentListener(federation, new Uri(\"http://127.0.0.1:53123/callback\")).Start();")]
    [InlineData("_ = federation.CompleteAsync(new AuthorizationCallback(\"state\", \"code\", null, null));")]
    [InlineData("Func<AuthorizationCallback, string?, CancellationToken, Task<ConsentCallbackResult>> complete = federation.CompleteAsync;")]
    public Task User_federation_with_a_callback(string callback) => Verify($$"""
        static class Startup
        {
            public static void Configure(IServiceCollection services, IConfiguration configuration, UserFederation federation)
            {
                services.AddIdentityGuard(configuration).AddUserFederation();
                {{callback}}
            }
        }
        """);

    [Fact]
    public Task No_user_federation_registration_no_callback_needed() => Verify("""
        static class Startup
        {
            public static void Configure(IServiceCollection services) => services.AddTransient<IConsentHandler, Handler>();
        }

        sealed class Handler : IConsentHandler
        {
            public ValueTask PresentAsync(ConsentRequest request, CancellationToken cancellationToken) => default;
        }
        """);

    [Fact]
    public Task Near_miss_callback_type_mentioned_but_never_created() => Verify("""
        static class Startup
        {
            public static void Configure(IServiceCollection services, IConfiguration configuration, LoopbackConsentListener? listener)
            {
                services.AddIdentityGuard(configuration).{|IG0201:AddUserFederation()|};
                listener?.Start();
            }
        }
        """);

    // ---- our own sample: samples/ClientBriefAgent, condensed to the parts these rules look at ----

    [Fact]
    public Task ClientBriefAgent_shape_is_clean() => Verify("""
        public sealed class BriefWriter
        {
            private readonly ICrmTokens _tokens;
            public BriefWriter(ICrmTokens tokens) { _tokens = tokens; }

            public async Task<string> WriteAsync(string clientId, CancellationToken cancellationToken)
            {
                // Throws ConsentRequiredException (handled by the endpoint) until the user has approved.
                _ = await _tokens.GetAsync(CrmScopes.NotesRead, cancellationToken);
                return "brief for " + clientId;
            }
        }

        static class AgentHost
        {
            public static void Start(IServiceCollection services, IConfiguration configuration, IEndpointRouteBuilder app)
            {
                services.AddIdentityGuard(configuration).AddUserFederation();
                services.AddHttpClient<BriefWriter>().WithCrmToken(CrmScopes.NotesRead);
                services.AddTransient<BriefWriter>();
                app.MapPost("/briefs", WriteBriefAsync);
                app.MapIdentityGuardConsentCallback("/callback");
            }

            private static async Task<object> WriteBriefAsync(string clientId, BriefWriter writer, CancellationToken cancellationToken)
            {
                try
                {
                    return await writer.WriteAsync(clientId, cancellationToken);
                }
                catch (ConsentRequiredException ex) when (ex.Request is { } consent)
                {
                    return consent.AuthorizationUrl;
                }
            }
        }
        """);

    [Fact]
    public async Task The_runtime_itself_is_not_checked()
    {
        // The assembly that declares ConsentRequiredException throws it by design: UserFederationTokenSource requests a
        // user token on the way from AccessTokenHandler.SendAsync, which in an app would be IG0200. Handling it is the
        // app's job, so the runtime's own source, compiled as the assembly it is, is not reported.
        var runtime = RepositoryFiles.PathOf("runtime", "IdentityGuard");
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Directory.EnumerateFiles(runtime, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !path.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Concat(LinkedSources(Path.Combine(runtime, "IdentityGuard.csproj")))
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parseOptions, path))
            .ToList();
        Assert.Contains(trees, tree => tree.FilePath.EndsWith("UserFederationTokenSource.cs", StringComparison.Ordinal));

        // Its dependencies, not the built runtime itself (the source is the runtime here).
        var references = RealAssemblies.All
            .Where(reference => !Path.GetFileName(reference.Display ?? string.Empty).StartsWith("IdentityGuard", StringComparison.Ordinal))
            .Append(MetadataReference.CreateFromFile(typeof(Microsoft.Data.Sqlite.SqliteConnection).Assembly.Location));
        var compilation = CSharpCompilation.Create(
            "IdentityGuard",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var consentRequired = compilation.GetTypeByMetadataName("IdentityGuard.Consent.ConsentRequiredException");
        Assert.NotNull(consentRequired);
        Assert.Equal(compilation.Assembly, consentRequired.ContainingAssembly, SymbolEqualityComparer.Default);

        // The source binds as in a build, except the [LoggerMessage] method bodies, which come from a generator not run here (CS8795).
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795").Select(d => d.ToString()).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));

        var diagnostics = await compilation
            .WithAnalyzers([new ConsentHandlingAnalyzer()], new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        Assert.DoesNotContain(diagnostics, diagnostic => diagnostic.Id.StartsWith("IG02", StringComparison.Ordinal) || diagnostic.Id == "AD0001");
    }

    /// <summary>The files a project compiles from elsewhere in the repository (<c>&lt;Compile Include="..\..\a.cs;..\..\b.cs" /&gt;</c>).</summary>
    private static IEnumerable<string> LinkedSources(string project)
    {
        var directory = Path.GetDirectoryName(project)!;
        return System.Xml.Linq.XDocument.Load(project).Descendants("Compile")
            .Select(compile => (string?)compile.Attribute("Include"))
            .Where(include => include is not null)
            .SelectMany(include => include!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(include => Path.GetFullPath(Path.Combine(directory, include.Replace('\\', Path.DirectorySeparatorChar))));
    }

    [Fact]
    public Task Nothing_is_registered_without_the_runtime() => new NoRuntimeTest
    {
        TestCode = """
            class C
            {
                void M() { try { } catch (System.Exception) { } }
            }
            """,
    }.RunAsync(CancellationToken.None);

    private static Task Verify(string source, params DiagnosticResult[] expected) => ConsentApp.VerifyAsync(Usings + source, expected);

    /// <summary>A compilation with the frameworks but without the IdentityGuard runtime.</summary>
    private sealed class NoRuntimeTest : Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<ConsentHandlingAnalyzer, DefaultVerifier>
    {
        public NoRuntimeTest()
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All);
        }
    }
}
