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

    /// <summary>
    /// How long the access token issued for an authorization code (the first token after consent) lives, or
    /// <see langword="null"/> (the default) for the client's <see cref="DemoClient.AccessTokenLifetime"/> or else
    /// <see cref="AccessTokenLifetime"/>. Tokens from a refresh live the client's or the server's lifetime: a test can
    /// let the consented token expire soon while the refreshed ones last.
    /// </summary>
    public TimeSpan? ConsentAccessTokenLifetime { get; set; }

    /// <summary>
    /// Whether a token issued by token exchange (RFC 8693) expires no later than the subject token it was exchanged
    /// for. Defaults to <see langword="true"/>. <see langword="false"/> gives exchanged tokens the full access token
    /// lifetime even past the subject token's expiry, as a laxer authorization server may, so a test can check that a
    /// client caps them itself.
    /// </summary>
    public bool CapExchangedTokenLifetime { get; set; } = true;

    /// <summary>
    /// How long issued refresh tokens live; defaults to 14 days. Each use of a refresh token returns a new one (rolling
    /// refresh tokens) with a fresh lifetime, and the used one stops working shortly afterwards.
    /// </summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// A fixed loopback port to listen on, or <see langword="null"/> (the default) to let the OS pick a free one.
    /// The issuer is <c>http://127.0.0.1:{port}/</c>, so a server that must keep honouring its earlier tokens after a
    /// restart needs both a fixed port and a <see cref="DataDirectory"/>.
    /// </summary>
    public int? Port { get; set; }

    /// <summary>
    /// A directory in which the server keeps its state across restarts, or <see langword="null"/> (the default) for a
    /// server that forgets everything when it stops.
    /// </summary>
    /// <remarks>
    /// When set, the server stores clients, scopes, authorizations and tokens in a SQLite database there and creates
    /// its token signing and encryption keys there once (PEM files readable by the current user only, on Unix), so
    /// refresh tokens and unexpired access tokens from an earlier run stay valid. The directory is created if missing; a
    /// relative path is resolved against the current directory.
    /// Clients and scopes in <see cref="Clients"/> and <see cref="Scopes"/> are added or updated at every start;
    /// entries removed from the options stay in the database. Only one server may use a directory at a time.
    /// The files hold private keys: keep the directory out of source control and delete it to start afresh.
    /// </remarks>
    public string? DataDirectory { get; set; }

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
