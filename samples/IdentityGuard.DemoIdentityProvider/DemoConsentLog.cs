using System;
using System.Collections.Generic;
using System.Threading;

namespace IdentityGuard.Demo;

/// <summary>
/// Every consent prompt a <see cref="DemoIdentityProvider"/> showed since it started (or since
/// <see cref="DemoIdentityProvider.ResetCounters"/>), so a test or sample can prove that a stored grant was reused and the
/// user was not asked again. Thread-safe.
/// </summary>
public sealed class DemoConsentLog
{
    private readonly Lock _gate = new();
    private readonly List<DemoConsentRecord> _records = [];

    internal DemoConsentLog()
    {
    }

    /// <summary>How many times the user was asked.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    /// <summary>A snapshot of the prompts, oldest first.</summary>
    public IReadOnlyList<DemoConsentRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return _records.ToArray();
            }
        }
    }

    internal void Add(DemoConsentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            _records.Add(record);
        }
    }

    internal void Clear()
    {
        lock (_gate)
        {
            _records.Clear();
        }
    }
}

/// <summary>One consent prompt and the user's answer.</summary>
/// <param name="Request">What the user was asked.</param>
/// <param name="Granted">Whether the user consented (see <see cref="DemoIdentityProviderOptions.ConsentDecision"/>).</param>
public sealed record DemoConsentRecord(DemoConsentRequest Request, bool Granted);
