using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Authorization;
using IdentityGuard.Mcp;
using IdentityGuard.Mcp.Metadata;
using IdentityGuard.Mcp.Passthrough;
using IdentityGuard.Mcp.Requirements;
using IdentityGuard.Mcp.Results;
using IdentityGuard.Mcp.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore.Authentication;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace so they show up where services are registered.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Protects the application's MCP server (HTTP transport) with IdentityGuard, added on the <see cref="IdentityGuardBuilder"/>.</summary>
public static class IdentityGuardBuilderMcpExtensions
{
    /// <summary>
    /// Protects the MCP server (<c>services.AddMcpServer()</c>) with IdentityGuard, configured from the builder's
    /// configuration (<c>IdentityGuard:Authorizer</c> for inbound tokens, <c>IdentityGuard:Mcp</c> for the resource),
    /// then from <paramref name="configure"/> (and <see cref="IdentityGuardBuilder.AddAuthorizer"/> for the authorizer):
    /// <list type="bullet">
    /// <item><description>the IdentityGuard authentication scheme verifies callers; its 401/403 challenges carry <c>resource_metadata</c> and the scopes to ask for;</description></item>
    /// <item><description>the protected-resource metadata (RFC 9728) is served at the resource's well-known address;</description></item>
    /// <item><description>tools declare requirements with <see cref="RequireScopesAttribute"/> and <see cref="ActsWithAttribute{TScopes}"/>; they are checked before a tool runs, and a caller only sees the tools it may call;</description></item>
    /// <item><description>a tool runs as the verified caller (user-federation providers act for that user), and a missing grant ends the call with a URL-mode elicitation for her consent;</description></item>
    /// <item><description>no outgoing request of an <see cref="System.Net.Http.IHttpClientFactory"/> client may carry a token issued to this server.</description></item>
    /// </list>
    /// Map the endpoint with <c>app.MapMcp(…).RequireIdentityGuard()</c>. Do not also call <c>AddIdentityGuardJwt</c>.
    /// </summary>
    /// <param name="builder">The IdentityGuard builder.</param>
    /// <param name="configure">Adjusts the MCP settings after binding.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IdentityGuardBuilder AddMcp(this IdentityGuardBuilder builder, Action<IdentityGuardMcpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAuthorizer();
        builder.Services.AddAuthentication().AddIdentityGuardJwt();
        var options = builder.Services.AddOptions<IdentityGuardMcpOptions>();
        if (!builder.Services.Any(descriptor => descriptor.ServiceType == typeof(McpToolGate)))
        {
            options.Bind(builder.Configuration.GetSection(IdentityGuardMcpOptions.SectionName));
            builder.Services.AddMcpServer().AddIdentityGuardCore();
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder;
    }

    private static IMcpServerBuilder AddIdentityGuardCore(this IMcpServerBuilder builder)
    {
        var services = builder.Services;
        services.AddAuthorization(); // RequireIdentityGuard's policy; WebApplication then adds the middleware itself
        services.AddOptions<IdentityGuardMcpOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdentityGuardMcpOptions>, IdentityGuardMcpOptionsValidator>());

        // The scheme's challenges point at the metadata and name the scopes a client should ask for first.
        services.AddOptions<IdentityGuardJwtOptions>(IdentityGuardMcpDefaults.AuthenticationScheme)
            .PostConfigure<IOptions<IdentityGuardMcpOptions>, IOptions<JwtAuthorizerOptions>>((scheme, mcp, authorizer) =>
            {
                if (mcp.Value.Resource is { } resource)
                {
                    scheme.ResourceMetadataUri ??= ProtectedResourceAddress.For(resource);
                }

                if (scheme.ChallengeScopes.Count == 0)
                {
                    foreach (var scope in authorizer.Value.RequiredScopes)
                    {
                        scheme.ChallengeScopes.Add(scope);
                    }
                }
            });

        // The MCP SDK's handler serves the metadata document; IdentityGuard fills it in.
        services.AddAuthentication().AddMcp(IdentityGuardMcpDefaults.MetadataScheme, "IdentityGuard MCP metadata");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<McpAuthenticationOptions>, ProtectedResourceMetadataSetup>());

        services.TryAddSingleton<ToolRequirementCatalog>();
        services.TryAddSingleton<McpToolGate>();

        // Tokens never reach the model: tool results are scrubbed before any other processor sees them.
        if (!services.Any(descriptor => descriptor.ImplementationType == typeof(CredentialScrubbingProcessor)))
        {
            services.Insert(0, ServiceDescriptor.Singleton<IMcpToolResultProcessor, CredentialScrubbingProcessor>());
        }
        services.AddHostedService<ToolRequirementValidation>();
        builder.WithRequestFilters(filters =>
        {
            filters.AddListToolsFilter(next => (request, cancellationToken) =>
                GateOf(request.Services ?? request.Server.Services).ListToolsAsync(request, next, cancellationToken));
            filters.AddCallToolFilter(next => (request, cancellationToken) =>
                GateOf(request.Services ?? request.Server.Services).CallToolAsync(request, next, cancellationToken));
        });

        // First among the handler-builder filters, so its handler ends up innermost, next to the primary handler.
        services.AddHttpClient();
        if (!services.Any(descriptor => descriptor.ImplementationType == typeof(InboundTokenEgressFilter)))
        {
            services.Insert(0, ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, InboundTokenEgressFilter>());
        }

        return builder;
    }

    private static McpToolGate GateOf(IServiceProvider? services) =>
        (services ?? throw new InvalidOperationException("The MCP server has no service provider; IdentityGuard needs one.")).GetRequiredService<McpToolGate>();

    /// <summary>Reads every tool's requirements at start, so a tool acting with an undeclared provider stops the host.</summary>
    private sealed class ToolRequirementValidation(ToolRequirementCatalog catalog) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = catalog.All;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
