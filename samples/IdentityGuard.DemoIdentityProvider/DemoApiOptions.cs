using System;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Demo;

/// <summary>
/// Configures a <see cref="DemoApi"/>.
/// </summary>
public sealed class DemoApiOptions
{
    /// <summary>The audience (resource) the demo API accepts unless told otherwise.</summary>
    public const string DefaultAudience = "demo-api";

    /// <summary>The API key <c>GET /weather</c> accepts unless told otherwise.</summary>
    public const string DefaultApiKey = "demo-api-key";

    /// <summary>Creates options for an API trusting the given issuer.</summary>
    /// <param name="issuer">The issuer whose tokens the API accepts, usually <see cref="DemoIdentityProvider.Issuer"/>.</param>
    public DemoApiOptions(Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        Issuer = issuer;
    }

    /// <summary>The trusted issuer; its signing keys are fetched from its discovery document over HTTP.</summary>
    public Uri Issuer { get; }

    /// <summary>The audience a token must carry (<c>aud</c>); defaults to <see cref="DefaultAudience"/>.</summary>
    public string Audience { get; set; } = DefaultAudience;

    /// <summary>The value the <c>X-Api-Key</c> header must have on <c>GET /weather</c>; defaults to <see cref="DefaultApiKey"/>.</summary>
    public string ApiKey { get; set; } = DefaultApiKey;

    /// <summary>A fixed loopback port to listen on, or <see langword="null"/> (the default) to let the OS pick a free one.</summary>
    public int? Port { get; set; }

    /// <summary>Where the API's logs go; <see langword="null"/> (the default) discards them. The provider is not disposed by the API.</summary>
    public ILoggerProvider? LoggerProvider { get; set; }

    /// <summary>The lowest level logged to <see cref="LoggerProvider"/>; defaults to <see cref="LogLevel.Warning"/>.</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;
}
