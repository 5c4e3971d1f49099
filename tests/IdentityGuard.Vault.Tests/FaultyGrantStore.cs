using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// A real store with faults injected in front of it: the next <see cref="FailWrites"/> writes (or reads) throw the
/// way a full disk or a restarted database does, after which the real store answers again.
/// </summary>
public sealed class FaultyGrantStore : IGrantStore, IDisposable
{
    private readonly IGrantStore _inner;
    private int _failWrites;
    private int _failReads;

    public FaultyGrantStore(IGrantStore inner) => _inner = inner;

    public int FailWrites
    {
        get => Volatile.Read(ref _failWrites);
        set => Volatile.Write(ref _failWrites, value);
    }

    public int FailReads
    {
        get => Volatile.Read(ref _failReads);
        set => Volatile.Write(ref _failReads, value);
    }

    public int Writes { get; private set; }

    public Task<StoredGrant?> GetAsync(GrantKey key, CancellationToken cancellationToken = default) =>
        Interlocked.Decrement(ref _failReads) >= 0 ? throw new IOException("disk I/O error (injected)") : _inner.GetAsync(key, cancellationToken);

    public Task<long?> TryWriteAsync(GrantKey key, byte[] protectedData, long? expectedVersion, CancellationToken cancellationToken = default)
    {
        Writes++;
        return Interlocked.Decrement(ref _failWrites) >= 0
            ? throw new IOException("disk I/O error (injected)")
            : _inner.TryWriteAsync(key, protectedData, expectedVersion, cancellationToken);
    }

    public Task<bool> DeleteAsync(GrantKey key, CancellationToken cancellationToken = default) => _inner.DeleteAsync(key, cancellationToken);

    public Task<bool> TryAcquireLeaseAsync(GrantKey key, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default) =>
        _inner.TryAcquireLeaseAsync(key, owner, now, duration, cancellationToken);

    public Task ReleaseLeaseAsync(GrantKey key, string owner, CancellationToken cancellationToken = default) => _inner.ReleaseLeaseAsync(key, owner, cancellationToken);

    public void Dispose() => (_inner as IDisposable)?.Dispose();
}
