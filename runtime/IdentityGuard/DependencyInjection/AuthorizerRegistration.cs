using System;
using System.Linq;
using System.Net.Http;
using IdentityGuard.Audit;
using IdentityGuard.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityGuard.DependencyInjection;

/// <summary>
/// Registers the inbound <see cref="JwtAuthorizer"/>: from <see cref="IdentityGuardBuilder.AddAuthorizer"/> and from
/// ASP.NET Core's <c>AddIdentityGuardJwt</c>, which share one authorizer per service provider.
/// </summary>
internal static class AuthorizerRegistration
{
    /// <summary>Binds the options from <paramref name="section"/> (when given), then applies <paramref name="configure"/>.</summary>
    public static void Add(IServiceCollection services, IConfiguration? section, Action<JwtAuthorizerOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<JwtAuthorizerOptions>();
        // Bound once: the binder appends to lists, so a second binding would repeat every audience and rule.
        if (section is not null && !services.Any(descriptor => descriptor.ServiceType == typeof(SectionBound)))
        {
            services.AddSingleton<SectionBound>();
            options.Configure(value => BindOptions(section, value));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(descriptor => descriptor.ServiceType == typeof(JwtAuthorizer)))
        {
            return;
        }

        // One workload name: the runtime's, unless the authorizer names its own.
        options.PostConfigure<IOptions<IdentityGuardOptions>>((value, runtime) =>
        {
            if (string.IsNullOrWhiteSpace(value.Workload))
            {
                value.Workload = runtime.Value.Workload;
            }
        }).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtAuthorizerOptions>, JwtAuthorizerOptionsValidator>());
        services.AddHttpClient(JwtAuthorizerOptions.MetadataHttpClientName);
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditSink, LoggerAuditSink>());
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton(CreateAuthorizer);
    }

    /// <summary>The authorizer takes its options as a value and a named client, which the container cannot supply by type.</summary>
    private static JwtAuthorizer CreateAuthorizer(IServiceProvider services) => new(
        services.GetRequiredService<IOptions<JwtAuthorizerOptions>>().Value,
        services.GetRequiredService<IHttpClientFactory>().CreateClient(JwtAuthorizerOptions.MetadataHttpClientName),
        services.GetService<AuditLog>(),
        services.GetService<ILogger<JwtAuthorizer>>(),
        services.GetService<TimeProvider>());

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

    /// <summary>Marks a collection whose authorizer options are bound from configuration.</summary>
    private sealed class SectionBound;
}
