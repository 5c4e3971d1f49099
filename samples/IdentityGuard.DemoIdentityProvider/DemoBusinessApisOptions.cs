using System;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Demo;

/// <summary>
/// Configures <see cref="DemoBusinessApis"/>.
/// </summary>
public sealed class DemoBusinessApisOptions
{
    /// <summary>Creates options for APIs trusting the given issuer.</summary>
    /// <param name="issuer">The issuer whose tokens the APIs accept, usually <see cref="DemoIdentityProvider.Issuer"/>.</param>
    public DemoBusinessApisOptions(Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        Issuer = issuer;
    }

    /// <summary>The trusted issuer; its signing keys are fetched from its discovery document over HTTP.</summary>
    public Uri Issuer { get; }

    /// <summary>A fixed loopback port for the CRM API, or <see langword="null"/> (the default) for a free one.</summary>
    public int? CrmPort { get; set; }

    /// <summary>A fixed loopback port for the finance API, or <see langword="null"/> (the default) for a free one.</summary>
    public int? FinancePort { get; set; }

    /// <summary>A fixed loopback port for the documents API, or <see langword="null"/> (the default) for a free one.</summary>
    public int? DocumentsPort { get; set; }

    /// <summary>Where the APIs' logs go; <see langword="null"/> (the default) discards them. The provider is not disposed by the APIs.</summary>
    public ILoggerProvider? LoggerProvider { get; set; }

    /// <summary>The lowest level logged to <see cref="LoggerProvider"/>; defaults to <see cref="LogLevel.Warning"/>.</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;
}
