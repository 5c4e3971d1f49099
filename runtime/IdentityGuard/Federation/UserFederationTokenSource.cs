using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;

namespace IdentityGuard.Federation;

/// <summary>
/// Users' tokens of a user-federation provider: served by <see cref="UserFederation"/> from the vault for the user
/// of the current <see cref="WorkloadContext"/>, never from a cache shared between users. Without a user bound to
/// the operation it fails closed.
/// </summary>
internal sealed class UserFederationTokenSource : OAuth2TokenSource
{
    private readonly Func<UserFederation?> _resolve;
    private readonly ConcurrentDictionary<ulong, IReadOnlyList<string>> _scopeSets = new();
    private UserFederation? _federation;

    /// <param name="descriptor">The provider.</param>
    /// <param name="resolve">Finds the registered <see cref="UserFederation"/>; asked until it answers.</param>
    public UserFederationTokenSource(ProviderDescriptor descriptor, Func<UserFederation?> resolve)
        : base(descriptor) => _resolve = resolve;

    private protected override ValueTask<AccessToken> GetTokenAsync(ulong scopeMask, CancellationToken cancellationToken)
    {
        // Fail closed: a user's token is only ever served for the user of the current operation.
        var workloadToken = WorkloadContext.Current
            ?? throw new CredentialUnavailableException(Provider, "no user is bound to this operation; wrap the call in WorkloadContext.Use(workloadAccessToken).");
        var federation = _federation ??= _resolve()
            ?? throw new CredentialUnavailableException(Provider, "user federation is not registered; add it with services.AddIdentityGuard(configuration).AddUserFederation().");

        // The scope list of a mask is built once: a warm token then costs no allocation end to end.
        var scopes = _scopeSets.TryGetValue(scopeMask, out var known) ? known : _scopeSets.GetOrAdd(scopeMask, GetScopeValues(scopeMask));
        return new ValueTask<AccessToken>(federation.GetAccessTokenCheckedAsync(workloadToken, Provider, (IReadOnlyCollection<string>)scopes, requestOptions: null, cancellationToken));
    }
}
