namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// Stand-ins for the consent rules (IG0200–IG0202): the runtime's consent and federation types, the DI and ASP.NET
/// Core members they are registered and mapped with, and a generated registration in the generator's output shape
/// (<see cref="Generated"/>). Kept apart from <see cref="Stubs"/> so the consent tests do not depend on, or collide
/// with, the stand-ins of other families.
/// </summary>
internal static class ConsentStubs
{
    public const string Runtime = """
        #nullable enable
        namespace IdentityGuard.Tokens
        {
            public sealed class AccessToken
            {
                public override string ToString() => "Bearer access token [redacted]";
            }
        }

        namespace IdentityGuard.Workload
        {
            public sealed class WorkloadAccessToken { }
        }

        namespace IdentityGuard.Providers
        {
            public class CredentialUnavailableException : System.Exception
            {
                public CredentialUnavailableException() { }
                public CredentialUnavailableException(string message) : base(message) { }
            }
        }

        namespace IdentityGuard.Consent
        {
            public sealed class ConsentRequest
            {
                public System.Uri AuthorizationUrl => new System.Uri("https://login.example.com/authorize");
            }

            public sealed class ConsentRequiredException : IdentityGuard.Providers.CredentialUnavailableException
            {
                public ConsentRequest? Request => null;
                public static bool TryFind(System.Exception? exception, out ConsentRequiredException? consentRequired) { consentRequired = null; return false; }
            }

            public interface IConsentHandler
            {
                System.Threading.Tasks.ValueTask PresentAsync(ConsentRequest request, System.Threading.CancellationToken cancellationToken);
            }

            public sealed class AuthorizationCallback
            {
                public AuthorizationCallback(string? state, string? code, string? error, string? errorDescription) { }
            }

            public sealed class ConsentOptions
            {
                public System.Uri? RedirectUri { get; set; }
            }
        }

        namespace IdentityGuard.Federation
        {
            public sealed class UserFederation
            {
                public System.Threading.Tasks.Task<IdentityGuard.Tokens.AccessToken> GetAccessTokenAsync(
                    IdentityGuard.Workload.WorkloadAccessToken workloadAccessToken,
                    string provider,
                    System.Collections.Generic.IReadOnlyCollection<string> scopes,
                    object? requestOptions = null,
                    System.Threading.CancellationToken cancellationToken = default) => null!;

                public System.Threading.Tasks.Task<object> CompleteAsync(
                    IdentityGuard.Consent.AuthorizationCallback callback,
                    string? sessionUserKey = null,
                    System.Threading.CancellationToken cancellationToken = default) => null!;
            }

            public sealed class LoopbackConsentListener
            {
                public LoopbackConsentListener(UserFederation federation, System.Uri redirectUri) { }
                public void Start() { }
            }
        }

        namespace IdentityGuard.Manifest
        {
            public enum CredentialKind { OAuth2, ApiKey }

            public enum OAuthFlow { M2M, UserFederation, OnBehalfOf }

            [System.AttributeUsage(System.AttributeTargets.Class | System.AttributeTargets.Interface | System.AttributeTargets.Enum | System.AttributeTargets.Method)]
            public sealed class IdentityGuardProviderAttribute : System.Attribute
            {
                public IdentityGuardProviderAttribute(string name, string kind) { }
                public string? Flow { get; set; }
            }

            public sealed class ProviderDescriptor
            {
                public ProviderDescriptor(string name, CredentialKind kind) { }
                public OAuthFlow Flow { get; set; }
            }

            public sealed class CredentialManifest
            {
                public CredentialManifest(string workload, ProviderDescriptor[] providers) { }
            }
        }

        namespace IdentityGuard.AspNetCore
        {
            public static class ConsentCallbackEndpoint
            {
                public static object MapIdentityGuardConsentCallback(this Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints, string pattern = "/identityguard/consent/callback") => endpoints;
            }

            public static class ConsentRequiredResponseExtensions
            {
                public static TBuilder WithIdentityGuardConsent<TBuilder>(this TBuilder builder) where TBuilder : Microsoft.AspNetCore.Builder.IEndpointConventionBuilder => builder;
                public static Microsoft.Extensions.DependencyInjection.IServiceCollection AddIdentityGuardConsentExceptionHandler(this Microsoft.Extensions.DependencyInjection.IServiceCollection services) => services;
            }
        }

        namespace Microsoft.Extensions.Configuration
        {
            public interface IConfiguration { }
        }

        namespace Microsoft.Extensions.DependencyInjection
        {
            public interface IServiceCollection { }

            public interface IMcpServerBuilder { }

            public static class IdentityGuardMcpServerBuilderExtensions
            {
                public static IMcpServerBuilder AddIdentityGuard(this IMcpServerBuilder builder, Microsoft.Extensions.Configuration.IConfiguration configuration) => builder;
            }

            public interface IHttpClientBuilder { }

            public sealed class ServiceDescriptor
            {
                public static ServiceDescriptor Singleton<TService, TImplementation>() where TService : class where TImplementation : class, TService => new ServiceDescriptor();
            }

            public static class ServiceCollectionServiceExtensions
            {
                public static IServiceCollection AddSingleton<TService, TImplementation>(this IServiceCollection services) where TService : class where TImplementation : class, TService => services;
                public static IServiceCollection AddSingleton<TService>(this IServiceCollection services) where TService : class => services;
                public static IServiceCollection AddSingleton<TService>(this IServiceCollection services, TService implementationInstance) where TService : class => services;
                public static IServiceCollection AddSingleton<TService>(this IServiceCollection services, System.Func<System.IServiceProvider, TService> implementationFactory) where TService : class => services;
                public static IServiceCollection AddSingleton(this IServiceCollection services, System.Type serviceType, System.Type implementationType) => services;
                public static IServiceCollection AddScoped<TService, TImplementation>(this IServiceCollection services) where TService : class where TImplementation : class, TService => services;
                public static IServiceCollection AddTransient<TService, TImplementation>(this IServiceCollection services) where TService : class where TImplementation : class, TService => services;
                public static IServiceCollection AddTransient<TService>(this IServiceCollection services) where TService : class => services;
            }

            public static class HttpClientFactoryServiceCollectionExtensions
            {
                public static IHttpClientBuilder AddHttpClient<TClient>(this IServiceCollection services) where TClient : class => null!;
            }

            public static class IdentityGuardUserFederationExtensions
            {
                public static IServiceCollection AddIdentityGuardUserFederation(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration, System.Action<IdentityGuard.Consent.ConsentOptions>? configure = null) => services;
            }
        }

        namespace Microsoft.Extensions.DependencyInjection.Extensions
        {
            public static class ServiceCollectionDescriptorExtensions
            {
                public static void TryAddSingleton<TService, TImplementation>(this Microsoft.Extensions.DependencyInjection.IServiceCollection services) where TService : class where TImplementation : class, TService { }
                public static void TryAddEnumerable(this Microsoft.Extensions.DependencyInjection.IServiceCollection services, Microsoft.Extensions.DependencyInjection.ServiceDescriptor descriptor) { }
            }
        }

        namespace Microsoft.AspNetCore.Routing
        {
            public interface IEndpointRouteBuilder
            {
                Microsoft.AspNetCore.Builder.RouteHandlerBuilder MapGet(string pattern, System.Delegate handler);
                Microsoft.AspNetCore.Builder.RouteHandlerBuilder MapPost(string pattern, System.Delegate handler);
            }
        }

        namespace Microsoft.AspNetCore.Builder
        {
            public interface IEndpointConventionBuilder { }

            public sealed class RouteHandlerBuilder : IEndpointConventionBuilder { }

            public static class AuthorizationEndpointConventionBuilderExtensions
            {
                public static TBuilder RequireAuthorization<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder => builder;
            }

            public interface IApplicationBuilder
            {
                void Run(System.Func<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature, System.Threading.Tasks.Task> handler);
            }

            public static class ExceptionHandlerExtensions
            {
                public static IApplicationBuilder UseExceptionHandler(this IApplicationBuilder app, System.Action<IApplicationBuilder> configure) => app;
            }
        }

        namespace Microsoft.AspNetCore.Diagnostics
        {
            public interface IExceptionHandlerFeature
            {
                System.Exception Error { get; }
            }

            public interface IExceptionHandler
            {
                System.Threading.Tasks.ValueTask<bool> TryHandleAsync(object httpContext, System.Exception exception, System.Threading.CancellationToken cancellationToken);
            }
        }
        """;

    /// <summary>
    /// The generator's output for a manifest with a user-federation provider <c>Crm</c> and a client-credentials
    /// provider <c>Reports</c>: scope enums, accessors, <c>With…Token</c> and the manifest initializer.
    /// </summary>
    public const string Generated = """
        // <auto-generated/>
        #nullable enable
        namespace Contoso.Agent
        {
            [global::System.Flags]
            [global::IdentityGuard.Manifest.IdentityGuardProvider("Crm", "oauth2", Flow = "userFederation")]
            public enum CrmScopes : ulong { None = 0UL, NotesRead = 1UL << 0 }

            [global::IdentityGuard.Manifest.IdentityGuardProvider("Crm", "oauth2", Flow = "userFederation")]
            public interface ICrmTokens
            {
                global::System.Threading.Tasks.ValueTask<global::IdentityGuard.Tokens.AccessToken> GetAsync(global::Contoso.Agent.CrmScopes scopes, global::System.Threading.CancellationToken cancellationToken = default);
            }

            [global::System.Flags]
            [global::IdentityGuard.Manifest.IdentityGuardProvider("Reports", "oauth2", Flow = "m2m")]
            public enum ReportsScopes : ulong { None = 0UL, SalesRead = 1UL << 0 }

            [global::IdentityGuard.Manifest.IdentityGuardProvider("Reports", "oauth2", Flow = "m2m")]
            public interface IReportsTokens
            {
                global::System.Threading.Tasks.ValueTask<global::IdentityGuard.Tokens.AccessToken> GetAsync(global::Contoso.Agent.ReportsScopes scopes, global::System.Threading.CancellationToken cancellationToken = default);
            }

            public static partial class IdentityGuardRegistration
            {
                public static global::IdentityGuard.Manifest.CredentialManifest Manifest { get; } = CreateManifest();

                [global::IdentityGuard.Manifest.IdentityGuardProvider("Crm", "oauth2", Flow = "userFederation")]
                public static global::Microsoft.Extensions.DependencyInjection.IHttpClientBuilder WithCrmToken(this global::Microsoft.Extensions.DependencyInjection.IHttpClientBuilder builder, global::Contoso.Agent.CrmScopes scopes) => builder;

                [global::IdentityGuard.Manifest.IdentityGuardProvider("Reports", "oauth2", Flow = "m2m")]
                public static global::Microsoft.Extensions.DependencyInjection.IHttpClientBuilder WithReportsToken(this global::Microsoft.Extensions.DependencyInjection.IHttpClientBuilder builder, global::Contoso.Agent.ReportsScopes scopes) => builder;

                private static global::IdentityGuard.Manifest.CredentialManifest CreateManifest()
                {
                    return new global::IdentityGuard.Manifest.CredentialManifest(
                        "client-brief-agent",
                        new global::IdentityGuard.Manifest.ProviderDescriptor[]
                        {
                            new global::IdentityGuard.Manifest.ProviderDescriptor("Crm", global::IdentityGuard.Manifest.CredentialKind.OAuth2)
                            {
                                Flow = global::IdentityGuard.Manifest.OAuthFlow.UserFederation,
                            },
                            new global::IdentityGuard.Manifest.ProviderDescriptor("Reports", global::IdentityGuard.Manifest.CredentialKind.OAuth2)
                            {
                                Flow = global::IdentityGuard.Manifest.OAuthFlow.M2M,
                            },
                        });
                }
            }
        }
        """;
}
