using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Demo;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpCrmServer;

/// <summary>
/// A user of the MCP server with the real MCP C# client and its OAuth support: the client discovers the authorization
/// server from the server's 401 and protected-resource metadata, and sends its user (the scripted
/// <see cref="DemoBrowser"/>) to sign in; a URL elicitation the server answers with is opened in the same browser.
/// </summary>
internal sealed class ScriptedMcpUser : IAsyncDisposable
{
    private readonly DemoBrowser _browser;
    private readonly HttpClient _http;

    private ScriptedMcpUser(string subject, DemoBrowser browser, HttpClient http, McpClient client)
    {
        Subject = subject;
        _browser = browser;
        _http = http;
        Client = client;
    }

    public string Subject { get; }

    public McpClient Client { get; }

    /// <summary>How many times the client sent the user to the authorization server, and for which scopes.</summary>
    public List<string> SignIns { get; } = [];

    /// <param name="endpoint">The MCP endpoint.</param>
    /// <param name="subject">The demo user who signs in.</param>
    /// <param name="redirectUri">The MCP client's registered redirect URI (the browser stops there).</param>
    /// <param name="observer">Sees every HTTP exchange of the client, innermost (tests read status codes and challenges).</param>
    /// <param name="urlElicitation">Whether the client declares URL-mode elicitation (it can open links out of band).</param>
    /// <param name="protocolVersion">The MCP protocol version to ask for; null for the client's newest.</param>
    /// <param name="cancellationToken">Cancels the connection.</param>
    public static async Task<ScriptedMcpUser> ConnectAsync(Uri endpoint, string subject, Uri redirectUri, DelegatingHandler? observer = null, bool urlElicitation = true, string? protocolVersion = null, CancellationToken cancellationToken = default)
    {
        var browser = new DemoBrowser(subject);
        HttpMessageHandler handler = new SocketsHttpHandler();
        if (observer is not null)
        {
            observer.InnerHandler = handler;
            handler = observer;
        }

        var http = new HttpClient(handler);
        var signIns = new List<string>();
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = endpoint,
                OAuth = new ClientOAuthOptions
                {
                    ClientId = McpDemoLandscape.McpClientId,
                    RedirectUri = redirectUri,
                    AuthorizationCallbackHandler = async (context, ct) =>
                    {
                        lock (signIns)
                        {
                            signIns.Add(context.AuthorizationUri.Query);
                        }

                        var redirect = await browser.AuthorizeAsync(context.AuthorizationUri, ct);
                        return new AuthorizationResult { Code = redirect.Code, State = redirect.State, Iss = redirect.Issuer };
                    },
                },
            },
            http);
        var client = await McpClient.CreateAsync(
            transport,
            new McpClientOptions
            {
                ProtocolVersion = protocolVersion,

                // URL-mode elicitation: this client can send its user to a URL out of band (the browser).
                Capabilities = new ClientCapabilities
                {
                    Elicitation = urlElicitation ? new ElicitationCapability { Url = new UrlElicitationCapability() } : new ElicitationCapability { Form = new FormElicitationCapability() },
                },
            },
            cancellationToken: cancellationToken);
        var user = new ScriptedMcpUser(subject, browser, http, client);
        user.SignIns.AddRange(signIns);
        return user;
    }

    /// <summary>Opens an elicited URL (a consent link) in this user's browser and follows it back to the server.</summary>
    public async Task<HttpResponseMessage> ApproveAsync(Uri url, CancellationToken cancellationToken = default) =>
        await _browser.AuthorizeAndFollowAsync(url, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        _http.Dispose();
        _browser.Dispose();
    }
}
