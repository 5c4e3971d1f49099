using System;
using System.Threading;

namespace IdentityGuard.Providers;

/// <summary>
/// Which credentials the current logical operation may use, enforced where IdentityGuard hands them out: every
/// OAuth 2.0 token source (client credentials, user federation, on-behalf-of, so generated accessors and
/// <c>With&lt;Provider&gt;Token</c> handlers alike), every API-key source, and the vault's and user federation's own
/// token methods. While a policy is in force (<see cref="Enter"/>), a credential it does not permit is not handed
/// out: the exception from <see cref="Refuse"/> is thrown instead, before any token request, vault read or HTTP call.
/// Without a policy nothing is checked, and the check costs one async-local read. An MCP server puts each tool's
/// declarations in force while the tool runs.
/// </summary>
/// <remarks>
/// The policy flows with the operation's execution context, like <see cref="Federation.WorkloadContext"/>: work the
/// operation starts (a task, a timer) inherits it, and keeps it after the scope ends. A policy that must not outlive
/// its operation refuses everything once it has ended; see <see cref="IsEnded"/>. Policies only narrow: one entered
/// while another is in force does not replace it, and a credential must be permitted by every policy in force, so code
/// running under a policy cannot widen it by entering a permissive one.
/// </remarks>
public abstract class CredentialUsePolicy
{
    private static readonly AsyncLocal<CredentialUsePolicy?> s_current = new();
    private volatile bool _ended;
    private CredentialUsePolicy? _outer;
    private int _entered;

    /// <summary>The policy in force for the current operation, if any.</summary>
    public static CredentialUsePolicy? Current => s_current.Value;

    /// <summary>
    /// Whether the operation this policy was entered for has ended (its scope was disposed). Work it started that
    /// still runs keeps the policy through its execution context; implementations refuse everything once ended.
    /// </summary>
    public bool IsEnded => _ended;

    /// <summary>
    /// Puts <paramref name="policy"/> in force until the returned scope is disposed; disposing also ends the policy
    /// (<see cref="IsEnded"/>). Enter a fresh policy object for each operation. The policies already in force stay in
    /// force inside it: <paramref name="policy"/> can only narrow what they permit.
    /// </summary>
    /// <param name="policy">The policy.</param>
    /// <returns>The scope; dispose it when the operation ends.</returns>
    /// <exception cref="InvalidOperationException">The policy object was entered before.</exception>
    public static Scope Enter(CredentialUsePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Interlocked.Exchange(ref policy._entered, 1) != 0)
        {
            // Re-entering one object would link it to itself (or to a policy entered after it) in the chain below.
            throw new InvalidOperationException("A credential use policy can be entered only once; create one per operation.");
        }

        var previous = s_current.Value;
        policy._outer = previous;
        s_current.Value = policy;
        return new Scope(policy, previous);
    }

    /// <summary>Whether the operation may have the credential described by <paramref name="request"/>.</summary>
    /// <param name="request">The provider and scopes about to be handed out.</param>
    public abstract bool Permits(in CredentialRequest request);

    /// <summary>
    /// The exception thrown instead of handing out a credential the policy does not permit; the place to log and
    /// audit the refusal. Its message must name what was refused and never a secret.
    /// </summary>
    /// <param name="request">The provider and scopes that were refused.</param>
    public abstract CredentialUnavailableException Refuse(in CredentialRequest request);

    /// <summary>Throws the policy's refusal when a policy is in force and does not permit <paramref name="request"/>.</summary>
    internal static void Demand(in CredentialRequest request)
    {
        for (var policy = s_current.Value; policy is not null; policy = policy._outer)
        {
            if (!policy.Permits(request))
            {
                throw policy.Refuse(request);
            }
        }
    }

    /// <summary>True when a policy is in force: callers build a <see cref="CredentialRequest"/> only then.</summary>
    internal static bool IsActive => s_current.Value is not null;

    /// <summary>The policy's time in force; disposing it restores the previous policy and ends this one.</summary>
    public readonly struct Scope : IDisposable, IEquatable<Scope>
    {
        private readonly CredentialUsePolicy? _policy;
        private readonly CredentialUsePolicy? _previous;

        internal Scope(CredentialUsePolicy policy, CredentialUsePolicy? previous)
        {
            _policy = policy;
            _previous = previous;
        }

        /// <summary>Ends the policy and restores the one in force before it.</summary>
        public void Dispose()
        {
            if (_policy is null)
            {
                return;
            }

            _policy._ended = true;
            s_current.Value = _previous;
        }

        /// <inheritdoc />
        public bool Equals(Scope other) => ReferenceEquals(_policy, other._policy) && ReferenceEquals(_previous, other._previous);

        /// <inheritdoc />
        public override bool Equals(object? obj) => obj is Scope other && Equals(other);

        /// <inheritdoc />
        public override int GetHashCode() => _policy?.GetHashCode() ?? 0;

        /// <summary>Compares two scopes.</summary>
        public static bool operator ==(Scope left, Scope right) => left.Equals(right);

        /// <summary>Compares two scopes.</summary>
        public static bool operator !=(Scope left, Scope right) => !left.Equals(right);
    }
}
