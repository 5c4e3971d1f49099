using System;
using System.ComponentModel;
using System.Net.Http;
using IdentityGuard.Http;
using IdentityGuard.Providers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace so they show up where clients are configured.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>
/// Attaches IdentityGuard credentials to an <see cref="IHttpClientBuilder"/> (including Refit's
/// <c>AddRefitClient</c>). Generated <c>With&lt;Provider&gt;Token</c> methods call these with typed scopes. The
/// credential handler is placed innermost, after logging and any handler the app adds, so nothing else in the
/// pipeline sees the credential.
/// </summary>
public static class IdentityGuardHttpClientBuilderExtensions
{
    /// <summary>Adds an <see cref="AccessTokenHandler"/> for an OAuth 2.0 provider and a scope mask.</summary>
    /// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code calls the generated, typed <c>With&lt;Provider&gt;Token(scopes)</c>.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static IHttpClientBuilder AddIdentityGuardAccessToken(this IHttpClientBuilder builder, string provider, ulong scopeMask)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(provider);
        return builder.AddCredentialHandler(sp => new AccessTokenHandler(
            sp.GetRequiredService<CredentialProviderRegistry>().GetOAuth2TokenSource(provider),
            scopeMask,
            sp.GetRequiredService<ILogger<AccessTokenHandler>>()));
    }

    /// <summary>Adds an <see cref="ApiKeyHandler"/> for an API-key provider.</summary>
    /// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code calls the generated <c>With&lt;Provider&gt;ApiKey()</c>.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static IHttpClientBuilder AddIdentityGuardApiKey(this IHttpClientBuilder builder, string provider)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(provider);
        return builder.AddCredentialHandler(sp => new ApiKeyHandler(
            sp.GetRequiredService<CredentialProviderRegistry>().GetApiKeySource(provider),
            sp.GetRequiredService<ILogger<ApiKeyHandler>>()));
    }

    private static IHttpClientBuilder AddCredentialHandler(this IHttpClientBuilder builder, Func<IServiceProvider, DelegatingHandler> factory)
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, CredentialHandlerFilter>());
        builder.Services.Configure<HttpClientCredentialOptions>(builder.Name, options => options.HandlerFactories.Add(factory));
        return builder;
    }
}
