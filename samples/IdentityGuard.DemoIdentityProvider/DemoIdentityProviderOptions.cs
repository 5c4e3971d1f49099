using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Demo;

/// <summary>
/// Configures a <see cref="DemoIdentityProvider"/>.
/// </summary>
public sealed class DemoIdentityProviderOptions
{
    /// <summary>The client applications registered with the server.</summary>
    public IList<DemoClient> Clients { get; } = new List<DemoClient>();

    /// <summary>The scopes the server knows; a request for any other scope is rejected with <c>invalid_scope</c>.</summary>
    public IList<DemoScope> Scopes { get; } = new List<DemoScope>();

    /// <summary>The users the authorization endpoint can sign in; the first is used when the request has no <c>login_hint</c>.</summary>
    public IList<DemoUser> Users { get; } = new List<DemoUser>();

    /// <summary>
    /// Decides whether the signed-in user consents to an authorization request; <see langword="null"/> means always yes.
    /// A <see langword="false"/> answer sends <c>access_denied</c> back to the client.
    /// </summary>
    public Func<DemoConsentRequest, bool>? ConsentDecision { get; set; }

    /// <summary>How long issued access tokens live. Defaults to one hour; expiry tests set a few seconds.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A fixed loopback port to listen on, or <see langword="null"/> (the default) to let the OS pick a free one.</summary>
    public int? Port { get; set; }

    /// <summary>Where the server's logs go; <see langword="null"/> (the default) discards them. The provider is not disposed by the server.</summary>
    public ILoggerProvider? LoggerProvider { get; set; }

    /// <summary>The lowest level logged to <see cref="LoggerProvider"/>; defaults to <see cref="LogLevel.Warning"/> to keep test output quiet.</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;

    /// <summary>
    /// Creates options matching <see cref="DemoApi"/>'s defaults: scopes <c>sales.read</c> and <c>sales.write</c> for the
    /// <see cref="DemoApiOptions.DefaultAudience"/> resource, and a client <c>demo-agent</c> / <c>demo-agent-secret</c>
    /// allowed both scopes with the client credentials grant.
    /// </summary>
    /// <returns>A new options instance the caller may extend.</returns>
    public static DemoIdentityProviderOptions CreateDefault()
    {
        var options = new DemoIdentityProviderOptions();
        options.Scopes.Add(new DemoScope(DemoApi.SalesReadScope, DemoApiOptions.DefaultAudience));
        options.Scopes.Add(new DemoScope(DemoApi.SalesWriteScope, DemoApiOptions.DefaultAudience));

        var client = new DemoClient("demo-agent", "demo-agent-secret");
        client.AllowedScopes.Add(DemoApi.SalesReadScope);
        client.AllowedScopes.Add(DemoApi.SalesWriteScope);
        options.Clients.Add(client);
        return options;
    }
}
