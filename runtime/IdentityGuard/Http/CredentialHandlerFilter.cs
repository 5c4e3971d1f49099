using System;
using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityGuard.Http;

/// <summary>
/// Places IdentityGuard's credential handlers innermost, directly in front of the primary handler, after every
/// other handler of the client. Microsoft.Extensions.Http's request logging (and any handler an app adds with
/// <c>AddHttpMessageHandler</c>) sits further out and so never sees the credential: at trace level that logging
/// puts raw header values into the structured log state, where a structured sink would write them out. Applying
/// this in a filter, after all builder actions, also means a later <c>ConfigurePrimaryHttpMessageHandler</c>
/// cannot silently drop the credential.
/// </summary>
/// <remarks>
/// The primary handler's own redirect handling would carry the request, with every header but
/// <c>Authorization</c>, to wherever a <c>Location</c> points, past the credential handlers. So when the primary
/// is a <see cref="SocketsHttpHandler"/> or <see cref="HttpClientHandler"/> that follows redirects, it stops
/// doing so and a <see cref="SameOriginRedirectHandler"/> outside the credential handlers follows them instead,
/// with the same limit.
/// </remarks>
internal sealed class CredentialHandlerFilter : IHttpMessageHandlerBuilderFilter
{
    private readonly IOptionsMonitor<HttpClientCredentialOptions> _options;

    public CredentialHandlerFilter(IOptionsMonitor<HttpClientCredentialOptions> options) => _options = options;

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        var factories = _options.Get(builder.Name).HandlerFactories;
        if (factories.Count == 0)
        {
            return;
        }

        var maxRedirects = TakeOverRedirects(builder.PrimaryHandler);

        // Wrapped in reverse so the first credential registered is the outermost of them.
        for (var i = factories.Count - 1; i >= 0; i--)
        {
            var handler = factories[i](builder.Services);
            handler.InnerHandler = builder.PrimaryHandler;
            builder.PrimaryHandler = handler;
        }

        if (maxRedirects > 0)
        {
            var logger = builder.Services.GetRequiredService<ILogger<SameOriginRedirectHandler>>();
            builder.PrimaryHandler = new SameOriginRedirectHandler(maxRedirects, logger) { InnerHandler = builder.PrimaryHandler };
        }
    };

    /// <summary>Turns off the primary handler's automatic redirects; returns how many it would have followed (0: none).</summary>
    private static int TakeOverRedirects(HttpMessageHandler primary)
    {
        switch (primary)
        {
            case SocketsHttpHandler { AllowAutoRedirect: true } sockets:
                sockets.AllowAutoRedirect = false;
                return sockets.MaxAutomaticRedirections;
            case HttpClientHandler { AllowAutoRedirect: true } client:
                client.AllowAutoRedirect = false;
                return client.MaxAutomaticRedirections;
            default:
                return 0;
        }
    }
}
