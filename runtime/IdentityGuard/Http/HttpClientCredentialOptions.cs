using System;
using System.Collections.Generic;
using System.Net.Http;

namespace IdentityGuard.Http;

/// <summary>Per named HttpClient: the credential handlers IdentityGuard places next to its primary handler.</summary>
internal sealed class HttpClientCredentialOptions
{
    public List<Func<IServiceProvider, DelegatingHandler>> HandlerFactories { get; } = [];
}
