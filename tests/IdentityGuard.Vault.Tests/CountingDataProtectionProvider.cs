using System;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.DataProtection;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// Real Data Protection (the ephemeral provider) with a count of decryptions per root purpose, so a test can tell
/// how often the vault decrypts workload access tokens and grants.
/// </summary>
public sealed class CountingDataProtectionProvider : IDataProtectionProvider
{
    private readonly EphemeralDataProtectionProvider _inner = new();
    private readonly ConcurrentDictionary<string, int> _unprotects = new(StringComparer.Ordinal);

    public IDataProtector CreateProtector(string purpose) => new Counting(_inner.CreateProtector(purpose), purpose, this);

    /// <summary>How many payloads protected under <paramref name="rootPurpose"/> were decrypted.</summary>
    public int Unprotects(string rootPurpose) => _unprotects.TryGetValue(rootPurpose, out var count) ? count : 0;

    private sealed class Counting(IDataProtector inner, string rootPurpose, CountingDataProtectionProvider owner) : IDataProtector
    {
        public IDataProtector CreateProtector(string purpose) => new Counting(inner.CreateProtector(purpose), rootPurpose, owner);

        public byte[] Protect(byte[] plaintext) => inner.Protect(plaintext);

        public byte[] Unprotect(byte[] protectedData)
        {
            owner._unprotects.AddOrUpdate(rootPurpose, 1, (_, count) => count + 1);
            return inner.Unprotect(protectedData);
        }
    }
}
