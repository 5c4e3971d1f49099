using System;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityGuard.Mcp.Passthrough;

/// <summary>
/// Puts <see cref="InboundTokenEgressHandler"/> directly in front of every factory client's primary handler, inside
/// every other handler (IdentityGuard's credential handlers included), so it sees the request exactly as it leaves.
/// Registered first among the filters: the first filter's work runs last, after the others wrapped the primary.
/// </summary>
internal sealed class InboundTokenEgressFilter(IOptions<IdentityGuardMcpOptions> options, ILoggerFactory loggers) : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        var resource = options.Value.Resource?.AbsoluteUri;
        if (resource is null)
        {
            return;
        }

        builder.PrimaryHandler = new InboundTokenEgressHandler(resource, loggers.CreateLogger<InboundTokenEgressHandler>()) { InnerHandler = builder.PrimaryHandler };
    };
}
