using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Tokens;

namespace IdentityGuard.Vault;

/// <summary>
/// What one vault instance knows about each grant it has read: the highest version seen (which never goes down, so
/// a row rolled back to a lower version is refused) and, from its last read, the decrypted grant with the blob it
/// came from. A read of an unchanged blob is answered from here without decrypting; a warm token is served from
/// here without reading at all until <see cref="TokenVaultOptions.StoreCheckInterval"/> has passed.
/// </summary>
internal sealed class GrantMemory
{
    /// <summary>
    /// How long a decrypted grant stays in memory without the store confirming it (which a grant in use gets every
    /// <see cref="TokenVaultOptions.StoreCheckInterval"/>). Past that its tokens are dropped from memory and the next
    /// use decrypts the row again; the version stays, so rollback protection does not depend on recent use.
    /// </summary>
    internal static readonly TimeSpan IdleContentLifetime = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan s_sweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<GrantKey, Entry> _entries = new();
    private readonly TimeProvider _time;
    private long _lastSweep;

    public GrantMemory(TimeProvider time)
    {
        _time = time;
        _lastSweep = time.GetTimestamp();
    }

    /// <summary>The highest version of the grant this instance has read or written; 0 when none.</summary>
    public long HighestVersion(GrantKey key) => _entries.TryGetValue(key, out var entry) ? entry.Version : 0;

    /// <summary>
    /// Whether a read begun at <paramref name="readStarted"/> that found <paramref name="version"/> may simply have
    /// begun before this instance learnt of a higher version (so reading again is worthwhile).
    /// </summary>
    public bool MayPredate(GrantKey key, long version, long readStarted) =>
        _entries.TryGetValue(key, out var entry) && version < entry.Version && readStarted <= entry.LearntAt;

    /// <summary>
    /// The entry for <paramref name="key"/> when it holds a live grant the store confirmed less than
    /// <paramref name="interval"/> ago. Measured on the monotonic timestamp, so a wall clock set back cannot stretch it.
    /// </summary>
    public bool TryGetConfirmed(GrantKey key, TimeSpan interval, out Entry entry) =>
        _entries.TryGetValue(key, out entry!) && entry.Grant is not null && _time.GetElapsedTime(entry.ConfirmedAt) < interval;

    /// <summary>
    /// The grant decrypted earlier from exactly this blob at exactly this version, if any (<paramref name="content"/>
    /// null: the blob was a revocation record). Byte equality, not just the version, decides: a row holds one blob
    /// per version, so anything else in it is decrypted and checked afresh.
    /// </summary>
    public bool TryRecall(GrantKey key, StoredGrant stored, out Grant? content)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Blob is { } blob && entry.Version == stored.Version && blob.AsSpan().SequenceEqual(stored.ProtectedData))
        {
            content = entry.Grant;
            return true;
        }

        content = null;
        return false;
    }

    /// <summary>Records a verified read: the row held <paramref name="grant"/> (null: revoked) at this version, as of <paramref name="readStarted"/>.</summary>
    public void Remember(GrantKey key, StoredGrant stored, Grant? grant, long readStarted)
    {
        Raise(key, new Entry(stored.Version, grant, stored.ProtectedData, readStarted));
        SweepIfDue();
    }

    /// <summary>A monotonic timestamp to pass to <see cref="Remember"/>: taken before the read, so the interval counts from it.</summary>
    public long Timestamp() => _time.GetTimestamp();

    /// <summary>Records that this instance wrote <paramref name="version"/>; its content is learnt on the next read.</summary>
    public void Wrote(GrantKey key, long version) => Raise(key, new Entry(version, null, null, 0));


    /// <summary>Forgets the content (not the version), so the next call reads the store.</summary>
    public void ForgetContent(GrantKey key)
    {
        while (_entries.TryGetValue(key, out var entry) && entry.Blob is not null)
        {
            if (_entries.TryUpdate(key, new Entry(entry.Version, null, null, 0) { LearntAt = entry.LearntAt }, entry))
            {
                return;
            }
        }
    }

    /// <summary>
    /// At most once per sweep interval, on a read: drops the tokens of grants nobody used for
    /// <see cref="IdleContentLifetime"/>, so users who came once do not leave decrypted tokens in memory for the
    /// process's lifetime.
    /// </summary>
    private void SweepIfDue()
    {
        var now = _time.GetTimestamp();
        var last = Volatile.Read(ref _lastSweep);
        if (_time.GetElapsedTime(last, now) < s_sweepInterval || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (key, entry) in _entries)
        {
            if (entry.Blob is not null && _time.GetElapsedTime(entry.ConfirmedAt, now) >= IdleContentLifetime)
            {
                // Only this entry: a newer one published meanwhile is in use and stays.
                _entries.TryUpdate(key, new Entry(entry.Version, null, null, 0) { LearntAt = entry.LearntAt }, entry);
            }
        }
    }

    private void Raise(GrantKey key, Entry next)
    {
        // Stamped after the write or read that taught the version completed: any read begun later sees it or newer.
        next.LearntAt = _time.GetTimestamp();
        _entries.AddOrUpdate(
            key,
            static (_, next) => next,

            // Never lower: a read that started before a newer write finished must not replace what that write taught.
            static (_, current, next) => next.Version >= current.Version ? next : current,
            next);
    }

    /// <summary>One grant as this instance last saw it. Not changed once published; replaced as a whole.</summary>
    internal sealed class Entry
    {
        public Entry(long version, Grant? grant, byte[]? blob, long confirmedAt)
        {
            Version = version;
            Grant = grant;
            Blob = blob;
            ConfirmedAt = confirmedAt;

            // Created once per read of the store, so serving the token from memory allocates nothing.
            Served = grant is null ? null : Task.FromResult(grant.AccessToken);
        }

        /// <summary>The highest version seen.</summary>
        public long Version { get; }

        /// <summary>The live grant at <see cref="Version"/>, or null (revoked, or not read since this instance wrote it).</summary>
        public Grant? Grant { get; }

        /// <summary>The encrypted blob <see cref="Grant"/> was decrypted from.</summary>
        public byte[]? Blob { get; }

        /// <summary>When the store last confirmed this content (a <see cref="TimeProvider"/> timestamp).</summary>
        public long ConfirmedAt { get; }

        /// <summary>When this instance learnt <see cref="Version"/> (a <see cref="TimeProvider"/> timestamp).</summary>
        public long LearntAt { get; set; }

        /// <summary>The grant's access token as a completed task.</summary>
        public Task<AccessToken>? Served { get; }
    }
}
