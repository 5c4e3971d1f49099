using System.Threading;

namespace IdentityGuard.Demo.Api;

/// <summary>How many upcoming requests the API must refuse with 401, consumed atomically across concurrent requests.</summary>
internal sealed class ForcedRejections
{
    private int _remaining;

    public void Set(int count) => Interlocked.Exchange(ref _remaining, count);

    public bool TryConsume()
    {
        while (true)
        {
            var remaining = Volatile.Read(ref _remaining);
            if (remaining <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _remaining, remaining - 1, remaining) == remaining)
            {
                return true;
            }
        }
    }
}
