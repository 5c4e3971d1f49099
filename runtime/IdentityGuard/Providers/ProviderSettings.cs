using System;
using IdentityGuard.DependencyInjection;
using IdentityGuard.Http;
using IdentityGuard.Manifest;
using Microsoft.Extensions.Configuration;

namespace IdentityGuard.Providers;

/// <summary>
/// A provider's effective non-secret settings: the manifest's values with configuration overrides from
/// <c>IdentityGuard:Providers:&lt;Name&gt;</c> applied, so one manifest serves development, tests and production.
/// </summary>
internal sealed class ProviderSettings
{
    public const string ProvidersSection = "IdentityGuard:Providers";

    private ProviderSettings(ProviderDescriptor descriptor, IConfigurationSection overrides)
    {
        Descriptor = descriptor;
        TokenEndpoint = Override(overrides, "TokenEndpoint", descriptor.TokenEndpoint);
        DiscoveryUrl = Override(overrides, "DiscoveryUrl", descriptor.DiscoveryUrl);
        AuthorizationEndpoint = Override(overrides, "AuthorizationEndpoint", descriptor.AuthorizationEndpoint);
        Audience = Override(overrides, "Audience", descriptor.Audience);
        ClientIdOverride = NullIfEmpty(overrides["ClientId"]);
        Destinations = CredentialDestinationPolicy.For(descriptor, SettingsReader.ReadOrigins<ProviderDescriptor>(overrides, "AllowedOrigins"));
    }

    public ProviderDescriptor Descriptor { get; }

    public string Name => Descriptor.Name;

    public string? TokenEndpoint { get; }

    public string? DiscoveryUrl { get; }

    public string? AuthorizationEndpoint { get; }

    public string? Audience { get; }

    /// <summary>Where the provider's credential may be sent: configured origins replace the manifest's.</summary>
    public CredentialDestinationPolicy Destinations { get; }

    private string? ClientIdOverride { get; }

    public static ProviderSettings Create(ProviderDescriptor descriptor, IConfiguration configuration) =>
        new(descriptor, configuration.GetSection(ProvidersSection).GetSection(descriptor.Name));

    /// <summary>The client id, or a clear error naming where it was expected.</summary>
    public string ResolveClientId(IConfiguration configuration)
    {
        if (ClientIdOverride is not null)
        {
            return ClientIdOverride;
        }

        return Descriptor.ClientId?.Resolve(configuration)
            ?? throw new CredentialUnavailableException(Name, Descriptor.ClientId is null
                ? "no clientId is declared in the manifest."
                : $"the client id was not found in {Descriptor.ClientId}.");
    }

    /// <summary>The client secret, or <see langword="null"/> for public clients that declare none.</summary>
    public string? ResolveClientSecret(IConfiguration configuration)
    {
        if (Descriptor.ClientSecret is null)
        {
            return null;
        }

        return Descriptor.ClientSecret.Resolve(configuration)
            ?? throw new CredentialUnavailableException(Name, $"the client secret was not found in {Descriptor.ClientSecret}.");
    }

    private static string? Override(IConfigurationSection section, string key, string? manifestValue) =>
        NullIfEmpty(section[key]) ?? manifestValue;

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>
    /// Refuses a plain-http endpoint unless it is loopback: tokens and client secrets must not cross a network
    /// in clear text (the generator warns at build time; this is the run-time backstop).
    /// </summary>
    public Uri RequireSecureEndpoint(string address, string what)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) ||
            (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new CredentialUnavailableException(Name, $"the {what} '{address}' is not an absolute http(s) URL.");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            throw new CredentialUnavailableException(Name, $"the {what} '{address}' uses plain http on a non-loopback host; use https.");
        }

        return uri;
    }
}
