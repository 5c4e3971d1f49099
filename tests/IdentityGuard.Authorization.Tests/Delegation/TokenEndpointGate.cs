using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace IdentityGuard.Authorization.Tests.Delegation;

/// <summary>
/// Holds an agent's first token request (a POST through the runtime's token client) until the test releases it, so
/// a test can line other callers up behind an exchange that is still in flight without guessing at timing.
/// Later requests, and the discovery and key fetches (GETs), pass straight through.
/// </summary>
public sealed class TokenEndpointGate
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    /// <summary>Completes when the first token request has reached the gate and is being held.</summary>
    public Task Arrived => _arrived.Task;

    /// <summary>Lets the held request (and every later one) go on to the token endpoint.</summary>
    public void Release() => _released.TrySetResult();

    /// <summary>A handler for the agent's token <see cref="HttpClient"/> pipeline; one per pipeline, all sharing this gate.</summary>
    public DelegatingHandler CreateHandler() => new Handler(this);

    private sealed class Handler(TokenEndpointGate gate) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && Interlocked.Exchange(ref gate._held, 1) == 0)
            {
                gate._arrived.TrySetResult();
                await gate._released.Task.WaitAsync(cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
