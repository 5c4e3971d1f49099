using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Tokens;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// One agent's worth of vault machinery over a given store: a fake clock, shared Data Protection keys, an audit
/// trail. Several vaults over one store (or one file) stand for several processes of the same workload.
/// </summary>
public sealed class VaultHarness : IDisposable
{
    public const string Provider = "Crm";

    private readonly List<IDisposable> _owned = [];

    public VaultHarness(Func<IGrantStore> storeFactory, FakeTimeProvider? time = null, IDataProtectionProvider? dataProtection = null, TokenVaultOptions? options = null)
    {
        StoreFactory = storeFactory;
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 8, 0, 0, TimeSpan.Zero));
        DataProtection = dataProtection ?? new EphemeralDataProtectionProvider();
        Audit = new AuditLog([Trail], Time, NullLogger<AuditLog>.Instance);
        Identity = NewIdentity(Workload);
        Options = options ?? new TokenVaultOptions();
        Vault = NewVault();
    }

    /// <summary>Unique per harness, so tests sharing one PostgreSQL database never see each other's rows.</summary>
    public string Workload { get; } = "client-brief-agent-" + Guid.NewGuid().ToString("N")[..8];

    public Func<IGrantStore> StoreFactory { get; }

    public FakeTimeProvider Time { get; }

    public IDataProtectionProvider DataProtection { get; }

    public InMemoryAuditTrail Trail { get; } = new();

    public AuditLog Audit { get; }

    public WorkloadIdentity Identity { get; }

    public TokenVaultOptions Options { get; }

    public TokenVault Vault { get; }

    public WorkloadIdentity NewIdentity(string workload) =>
        new(Microsoft.Extensions.Options.Options.Create(new WorkloadIdentityOptions { WorkloadName = workload }), DataProtection, Audit, Time);

    /// <summary>A vault with its own store object, as another process would have; <paramref name="identity"/> makes it another workload's.</summary>
    public TokenVault NewVault(WorkloadIdentity? identity = null)
    {
        var store = StoreFactory();
        if (store is IDisposable disposable)
        {
            _owned.Add(disposable);
        }

        var vault = new TokenVault(identity ?? Identity, store, DataProtection, Audit, Time, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<TokenVault>.Instance);
        _owned.Add(vault);
        return vault;
    }

    public WorkloadAccessToken Alice() => Identity.IssueForVerifiedUser("https://idp.example", "alice");

    public WorkloadAccessToken Bob() => Identity.IssueForVerifiedUser("https://idp.example", "bob");

    public Grant NewGrant(string accessToken, string? refreshToken, TimeSpan validFor, params string[] scopes) =>
        new(Provider, scopes.Length == 0 ? ["crm.notes.read"] : scopes, Token(accessToken, validFor), refreshToken is null ? null : new RefreshToken(refreshToken));

    public AccessToken Token(string value, TimeSpan validFor) => new(value, "Bearer", Time.GetUtcNow() + validFor);

    public int Count(AuditEventKind kind) => Trail.Events.Count(e => e.Kind == kind);

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }
}

/// <summary>A refresh endpoint stand-in that counts calls and insists on rotation like a strict server.</summary>
public sealed class RotatingRefreshServer
{
    private readonly VaultHarness _harness;
    private readonly TimeSpan _delay;
    private int _calls;
    private int _generation;

    public RotatingRefreshServer(VaultHarness harness, string initialRefreshToken, TimeSpan delay)
    {
        _harness = harness;
        _delay = delay;
        CurrentRefreshToken = initialRefreshToken;
    }

    public int Calls => Volatile.Read(ref _calls);

    public int ReuseDetected { get; private set; }

    public string CurrentRefreshToken { get; private set; }

    public async Task<TokenRefreshResult> RefreshAsync(RefreshToken refreshToken, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        await Task.Delay(_delay, cancellationToken);
        lock (this)
        {
            if (refreshToken.RevealValue() != CurrentRefreshToken)
            {
                // A rotated refresh token used twice: a real server would revoke the whole grant family here.
                ReuseDetected++;
                return TokenRefreshResult.InvalidGrant("refresh token reused");
            }

            _generation++;
            CurrentRefreshToken = $"rt-gen-{_generation}";
            return TokenRefreshResult.Success(_harness.Token($"at-gen-{_generation}", TimeSpan.FromHours(1)), new RefreshToken(CurrentRefreshToken));
        }
    }
}

/// <summary>A temporary folder deleted at the end of a test.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ig-vault-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
