using System;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Consent;

namespace IdentityGuard.Federation;

/// <summary>
/// The authorization callback for console agents and desktop tools (RFC 8252 §7.3): a listener on a loopback
/// redirect URI that hands each authorization response to <see cref="UserFederation.CompleteAsync"/> and shows the
/// browser a short page. It answers only on the redirect URI's path (GET for query responses, POST for form_post) and
/// never echoes a code or token.
/// </summary>
public sealed class LoopbackConsentListener : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly UserFederation _federation;
    private readonly string _path;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>Creates a listener for <paramref name="redirectUri"/>, which must be an http loopback URI with an explicit port.</summary>
    public LoopbackConsentListener(UserFederation federation, Uri redirectUri)
    {
        ArgumentNullException.ThrowIfNull(federation);
        ArgumentNullException.ThrowIfNull(redirectUri);
        if (!redirectUri.IsLoopback || redirectUri.Scheme != Uri.UriSchemeHttp || redirectUri.IsDefaultPort)
        {
            throw new ArgumentException("A loopback redirect URI must be http://127.0.0.1:<port>/<path> (RFC 8252 §7.3).", nameof(redirectUri));
        }

        if (redirectUri.HostNameType == UriHostNameType.IPv6 && !OperatingSystem.IsWindows())
        {
            // The managed HttpListener used off Windows cannot parse an IPv6 literal in a prefix ("Invalid port in
            // prefix"); binding every interface instead would expose the callback to the network (RFC 8252 §8.3).
            throw new ArgumentException(
                $"'{redirectUri}' uses the IPv6 loopback address, which HttpListener supports only on Windows. Register and use http://127.0.0.1:{redirectUri.Port}{redirectUri.AbsolutePath} instead (RFC 8252 §7.3 allows either).",
                nameof(redirectUri));
        }

        _federation = federation;
        _path = redirectUri.AbsolutePath;
        var prefixPath = _path.EndsWith('/') ? _path : _path + "/";
        _listener.Prefixes.Add($"{redirectUri.Scheme}://{redirectUri.Host}:{redirectUri.Port}{prefixPath}");
        RedirectUri = redirectUri;
    }

    /// <summary>The redirect URI it answers.</summary>
    public Uri RedirectUri { get; }

    /// <summary>Starts listening.</summary>
    public void Start()
    {
        _listener.Start();
        _loop = Task.Run(() => ServeAsync(_stop.Token));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Close();
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
            {
                // Closing the listener ends the pending GetContextAsync with one of these; nothing to report.
            }
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var context = await _listener.GetContextAsync().ConfigureAwait(false);
            _ = Task.Run(() => HandleAsync(context, stop), stop);
        }
    }

    /// <summary>The form_post response body (RFC: OAuth 2.0 Form Post Response Mode), or null when it is not a small form.</summary>
    private static async Task<System.Collections.Specialized.NameValueCollection?> ReadFormAsync(HttpListenerRequest request, CancellationToken stop)
    {
        const int MaxFormBytes = 64 * 1024;
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true
            || request.ContentLength64 > MaxFormBytes)
        {
            return null;
        }

        var buffer = new byte[MaxFormBytes + 1];
        var length = 0;
        int read;
        while ((read = await request.InputStream.ReadAsync(buffer.AsMemory(length), stop).ConfigureAwait(false)) > 0)
        {
            length += read;
            if (length > MaxFormBytes)
            {
                return null;
            }
        }

        return System.Web.HttpUtility.ParseQueryString(Encoding.UTF8.GetString(buffer, 0, length));
    }

    private async Task HandleAsync(HttpListenerContext context, CancellationToken stop)
    {
        using var response = context.Response;
        var request = context.Request;
        if (!string.Equals(request.Url?.AbsolutePath.TrimEnd('/'), _path.TrimEnd('/'), StringComparison.Ordinal) || request.HttpMethod is not ("GET" or "POST"))
        {
            response.StatusCode = (int)HttpStatusCode.NotFound;
            return;
        }

        var parameters = request.HttpMethod == "POST" ? await ReadFormAsync(request, stop).ConfigureAwait(false) : request.QueryString;
        if (parameters is null)
        {
            response.StatusCode = (int)HttpStatusCode.BadRequest;
            return;
        }

        var result = await _federation.CompleteAsync(
            new AuthorizationCallback(parameters["state"], parameters["code"], parameters["error"], parameters["error_description"], parameters["iss"]), sessionUserKey: null, stop).ConfigureAwait(false);

        response.StatusCode = result.Status == ConsentCallbackStatus.Completed ? (int)HttpStatusCode.OK : (int)HttpStatusCode.BadRequest;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers["Cache-Control"] = "no-store";
        var body = Encoding.UTF8.GetBytes($"<!doctype html><title>IdentityGuard</title><p>{WebUtility.HtmlEncode(result.Message)}</p>");
        await response.OutputStream.WriteAsync(body, stop).ConfigureAwait(false);
    }
}
