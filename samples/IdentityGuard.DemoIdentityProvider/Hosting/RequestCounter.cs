using System.Threading;

namespace IdentityGuard.Demo.Hosting;

/// <summary>A thread-safe counter, since Kestrel serves requests concurrently.</summary>
internal sealed class RequestCounter
{
    private int _value;

    public int Value => Volatile.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Reset() => Interlocked.Exchange(ref _value, 0);
}
