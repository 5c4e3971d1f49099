using System;
using System.Net.Http;
using IdentityGuard.Audit;
using IdentityGuard.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace so they show up where services are registered.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the inbound <see cref="JwtAuthorizer"/>.</summary>
public static class IdentityGuardAuthorizerServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> that fetches the identity provider's metadata and keys.</summary>
    public const string MetadataHttpClientName = "IdentityGuard.Authorizer.Metadata";

    /// <summary>
    /// Registers a singleton <see cref="JwtAuthorizer"/> configured from <paramref name="section"/> (normally
    /// <c>configuration.GetSection("IdentityGuard:Authorizer")</c>). The options are validated when the host starts.
    /// </summary>
    public static IServiceCollection AddIdentityGuardAuthorizer(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return services.AddIdentityGuardAuthorizer(options => BindOptions(section, options));
    }

    /// <summary>Registers a singleton <see cref="JwtAuthorizer"/> configured in code. The options are validated when the host starts.</summary>
    public static IServiceCollection AddIdentityGuardAuthorizer(this IServiceCollection services, Action<JwtAuthorizerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<JwtAuthorizerOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtAuthorizerOptions>, JwtAuthorizerOptionsValidator>());
        services.AddHttpClient(MetadataHttpClientName);
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditSink, LoggerAuditSink>());
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton(CreateAuthorizer);
        return services;
    }

    private static JwtAuthorizer CreateAuthorizer(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<JwtAuthorizerOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.Workload))
        {
            // The same workload name the rest of the runtime audits under.
            options.Workload = services.GetService<IConfiguration>()?["IdentityGuard:Workload"];
        }

        return new JwtAuthorizer(
            options,
            services.GetRequiredService<IHttpClientFactory>().CreateClient(MetadataHttpClientName),
            services.GetService<AuditLog>(),
            services.GetService<ILogger<JwtAuthorizer>>(),
            services.GetService<TimeProvider>());
    }

    private static void BindOptions(IConfiguration section, JwtAuthorizerOptions options)
    {
        // The binder appends to lists that already hold defaults; a configured list replaces them instead.
        if (section.GetSection(nameof(JwtAuthorizerOptions.AllowedAlgorithms)).Exists())
        {
            options.AllowedAlgorithms.Clear();
        }

        if (section.GetSection(nameof(JwtAuthorizerOptions.ValidTokenTypes)).Exists())
        {
            options.ValidTokenTypes.Clear();
        }

        section.Bind(options);
    }
}
