using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace IdentityGuard.Demo;

/// <summary>
/// A scripted stand-in for the user's browser in the authorization code flow, for tests and samples. It opens an
/// authorization URL of a <see cref="DemoIdentityProvider"/> as the user given at construction (sent as <c>login_hint</c>,
/// which the demo server signs in at once and asks <see cref="DemoIdentityProviderOptions.ConsentDecision"/> about),
/// and stops at the redirect back to the client, or follows it to the client's callback.
/// </summary>
/// <remarks>
/// It only talks to loopback addresses, keeps no cookies and never follows more than that one redirect. The query
/// response mode (the default for <c>response_type=code</c>) is supported, and <c>form_post</c> by
/// <see cref="AuthorizeAndFollowAsync"/>, which posts the server's form to the callback as a browser would.
/// </remarks>
public sealed class DemoBrowser : IDisposable
{
    private const int MaxErrorBodyLength = 500;
    private readonly HttpClient _http;

    /// <summary>Creates a browser in which <paramref name="userSubject"/> is signed in.</summary>
    /// <param name="userSubject">
    /// The <see cref="DemoUser.Subject"/> to sign in as; it replaces any <c>login_hint</c> in the URL. <see langword="null"/>
    /// keeps the URL's own <c>login_hint</c>, or lets the server pick its first user.
    /// </param>
    public DemoBrowser(string? userSubject = null)
    {
        UserSubject = userSubject;

        // Redirects are handled by hand: the last one goes to the client, which the caller may want to handle itself.
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>The user this browser signs in as, or <see langword="null"/>.</summary>
    public string? UserSubject { get; }

    /// <summary>
    /// Opens <paramref name="authorizationUrl"/> and returns where the server redirected to, without visiting it.
    /// Its signature fits a "send the user to this URL and wait for the callback" delegate.
    /// </summary>
    /// <param name="authorizationUrl">The full authorization request URL the client built (loopback only).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The redirect to the client, with a code or an error (e.g. <c>access_denied</c> when consent is refused).</returns>
    /// <exception cref="InvalidOperationException">
    /// The server answered without a redirect, e.g. because the client id or redirect URI is unknown (OAuth forbids
    /// redirecting then); the message carries the status and the start of the error page.
    /// </exception>
    public async Task<DemoAuthorizationRedirect> AuthorizeAsync(Uri authorizationUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authorizationUrl);
        var requestUrl = WithLoginHint(RequireLoopback(authorizationUrl, nameof(authorizationUrl)));

        using var response = await _http.GetAsync(requestUrl, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (status is < 300 or >= 400 || response.Headers.Location is null)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (body.Length > MaxErrorBodyLength)
            {
                body = body[..MaxErrorBodyLength] + "…";
            }

            throw new InvalidOperationException(
                $"The authorization endpoint answered {status} {response.ReasonPhrase} instead of redirecting to the client: {body}");
        }

        var location = response.Headers.Location;
        if (!location.IsAbsoluteUri)
        {
            location = new Uri(requestUrl, location);
        }

        return new DemoAuthorizationRedirect(location);
    }

    /// <summary>
    /// Opens <paramref name="authorizationUrl"/>, then follows the redirect to the client's callback (which must be on
    /// loopback, e.g. an agent's local listener) and returns the callback's response, which the caller disposes.
    /// </summary>
    /// <param name="authorizationUrl">The full authorization request URL the client built (loopback only).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The client callback's response.</returns>
    /// <exception cref="InvalidOperationException">The server did not redirect, or redirected away from loopback.</exception>
    public async Task<HttpResponseMessage> AuthorizeAndFollowAsync(Uri authorizationUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authorizationUrl);
        if (authorizationUrl.Query.Contains("response_mode=form_post", StringComparison.Ordinal))
        {
            // The server answers with a page whose form the browser posts to the client's callback.
            var requestUrl = WithLoginHint(RequireLoopback(authorizationUrl, nameof(authorizationUrl)));
            using var page = await _http.GetAsync(requestUrl, cancellationToken).ConfigureAwait(false);
            var form = DemoFormPost.Parse(await page.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            if (!page.IsSuccessStatusCode || form is null)
            {
                throw new InvalidOperationException($"The authorization endpoint answered {(int)page.StatusCode} without a form_post page.");
            }

            var action = RequireLoopback(form.Action, "redirect_uri");
            using var body = new FormUrlEncodedContent(form.Fields);
            return await _http.PostAsync(action, body, cancellationToken).ConfigureAwait(false);
        }

        var redirect = await AuthorizeAsync(authorizationUrl, cancellationToken).ConfigureAwait(false);
        var callback = RequireLoopback(redirect.RedirectUri, "redirect_uri");
        return await _http.GetAsync(callback, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the browser's connections.</summary>
    public void Dispose() => _http.Dispose();

    private Uri WithLoginHint(Uri authorizationUrl)
    {
        if (UserSubject is null)
        {
            return authorizationUrl;
        }

        var query = QueryHelpers.ParseQuery(authorizationUrl.Query)
            .Where(parameter => !string.Equals(parameter.Key, "login_hint", StringComparison.Ordinal))
            .Append(new KeyValuePair<string, StringValues>("login_hint", UserSubject));
        var builder = new UriBuilder(authorizationUrl) { Query = new QueryBuilder(query).ToQueryString().Value?.TrimStart('?') ?? string.Empty };
        return builder.Uri;
    }

    private static Uri RequireLoopback(Uri url, string what)
    {
        // A demo browser must never carry a user's authorization (or a code) off the machine.
        var isHttp = url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);
        if (!isHttp || !url.IsLoopback)
        {
            throw new InvalidOperationException($"The {what} must be an absolute http(s) URL on a loopback address; the demo browser goes nowhere else.");
        }

        return url;
    }
}
