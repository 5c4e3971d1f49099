using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace IdentityGuard.Tests.Http;

/// <summary>The end of a handler pipeline: records what would have gone on the wire and answers with a script.</summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Queue<HttpStatusCode> _answers = new();

    public List<(HttpMethod Method, Uri? Uri, string? Authorization, IReadOnlyList<string> HeaderNames)> Sent { get; } = [];

    public void AnswerNext(params HttpStatusCode[] codes)
    {
        foreach (var code in codes)
        {
            _answers.Enqueue(code);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A real transport reads the whole body, so a body that cannot be read twice fails on a replay here too.
        if (request.Content is { } content)
        {
            await content.CopyToAsync(Stream.Null, cancellationToken);
        }

        var names = new List<string>();
        foreach (var header in request.Headers)
        {
            names.Add(header.Key);
        }

        Sent.Add((request.Method, request.RequestUri, request.Headers.Authorization?.ToString(), names));
        var status = _answers.Count > 0 ? _answers.Dequeue() : HttpStatusCode.OK;
        return new HttpResponseMessage(status) { RequestMessage = request };
    }
}
