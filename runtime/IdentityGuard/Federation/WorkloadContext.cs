using System;
using System.Threading;
using IdentityGuard.Workload;

namespace IdentityGuard.Federation;

/// <summary>
/// The user the current logical operation acts for, as a <see cref="WorkloadAccessToken"/>. Generated accessors
/// and HTTP handlers of user-federation providers read it, so agent code and Refit clients do not pass tokens
/// around. It flows with async calls and is cleared when the scope is disposed.
/// </summary>
public static class WorkloadContext
{
    private static readonly AsyncLocal<WorkloadAccessToken?> s_current = new();

    /// <summary>The workload access token of the current operation, if any.</summary>
    public static WorkloadAccessToken? Current => s_current.Value;

    /// <summary>Acts for the user bound in <paramref name="token"/> until the returned scope is disposed.</summary>
    public static IDisposable Use(WorkloadAccessToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var previous = s_current.Value;
        s_current.Value = token;
        return new Scope(previous);
    }

    private sealed class Scope : IDisposable
    {
        private readonly WorkloadAccessToken? _previous;

        public Scope(WorkloadAccessToken? previous) => _previous = previous;

        public void Dispose() => s_current.Value = _previous;
    }
}
