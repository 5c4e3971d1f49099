using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Consent;
using IdentityGuard.Demo;

namespace IdentityGuard.Tests.Federation;

/// <summary>
/// A consent handler that plays the user's browser: it opens the authorization URL as the user (the demo server
/// signs in the user named by <c>login_hint</c>), then follows the redirect to the agent's loopback callback.
/// </summary>
internal sealed class ScriptedBrowserConsent : IConsentHandler, IDisposable
{
    private readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false });
    private int _presented;

    /// <summary>User key (from the workload access token) → the subject the demo identity provider knows.</summary>
    public ConcurrentDictionary<string, string> Subjects { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<ConsentRequest> Requests { get; } = new();

    /// <summary>The last callback URL the browser was sent to, for replay tests.</summary>
    public Uri? LastCallback { get; private set; }

    public int Presented => Volatile.Read(ref _presented);

    /// <summary>The last form_post response the browser sent, for tests.</summary>
    public DemoFormPost? LastFormPost { get; private set; }

    /// <summary>
    /// Where the browser delivers callbacks instead of the redirect URI's own address (a load balancer that sent the
    /// callback to another instance of the agent), or null for the redirect URI itself.
    /// </summary>
    public Uri? CallbackAuthority { get; set; }

    public async ValueTask PresentAsync(ConsentRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _presented);
        Requests.Enqueue(request);
        await ApproveAsync(request, Subjects[request.User], cancellationToken);
    }

    /// <summary>
    /// Opens the authorization URL signed in at the identity provider as <paramref name="subject"/> (who may not be
    /// the user the request was made for: a forwarded link) and follows the redirect to the agent's callback.
    /// </summary>
    /// <returns>The status the agent's callback answered.</returns>
    public async Task<HttpStatusCode> ApproveAsync(ConsentRequest request, string subject, CancellationToken cancellationToken = default)
    {
        var url = new Uri(request.AuthorizationUrl + "&login_hint=" + Uri.EscapeDataString(subject));

        using var authorization = await _browser.GetAsync(url, cancellationToken);
        if (authorization.StatusCode == HttpStatusCode.OK && DemoFormPost.Parse(await authorization.Content.ReadAsStringAsync(cancellationToken)) is { } form)
        {
            // response_mode=form_post: the provider's page would make the browser POST these fields to the callback.
            LastFormPost = form;
            using var posted = await _browser.PostAsync(form.Action, new FormUrlEncodedContent(form.Fields), cancellationToken);
            return posted.StatusCode;
        }

        if (authorization.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther))
        {
            throw new InvalidOperationException($"The authorization endpoint answered {(int)authorization.StatusCode}, not a redirect.");
        }

        LastCallback = authorization.Headers.Location;
        if (CallbackAuthority is { } front && LastCallback is not null)
        {
            LastCallback = new UriBuilder(LastCallback) { Host = front.Host, Port = front.Port }.Uri;
        }

        using var callback = await _browser.GetAsync(LastCallback, cancellationToken);
        return callback.StatusCode;
    }

    public void Dispose() => _browser.Dispose();
}
