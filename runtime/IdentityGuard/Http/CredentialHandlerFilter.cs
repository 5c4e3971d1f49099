using System;
using Microsoft.Extensions.Http;
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
internal sealed class CredentialHandlerFilter : IHttpMessageHandlerBuilderFilter
{
    private readonly IOptionsMonitor<HttpClientCredentialOptions> _options;

    public CredentialHandlerFilter(IOptionsMonitor<HttpClientCredentialOptions> options) => _options = options;

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        var factories = _options.Get(builder.Name).HandlerFactories;

        // Wrapped in reverse so the first credential registered is the outermost of them.
        for (var i = factories.Count - 1; i >= 0; i--)
        {
            var handler = factories[i](builder.Services);
            handler.InnerHandler = builder.PrimaryHandler;
            builder.PrimaryHandler = handler;
        }
    };
}
