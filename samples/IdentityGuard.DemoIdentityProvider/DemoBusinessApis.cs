using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Demo.BusinessApis;

namespace IdentityGuard.Demo;

/// <summary>
/// Three protected business APIs for the client-brief sample, each its own resource server on 127.0.0.1 with its own
/// audience, validating bearer JWTs from one <see cref="DemoIdentityProvider"/> (signature, issuer, lifetime, audience)
/// and requiring a scope per endpoint:
/// <list type="bullet">
/// <item><see cref="Crm"/> (<see cref="CrmAudience"/>): <c>GET /clients/{clientId}/notes</c> with <see cref="CrmNotesReadScope"/> returns <see cref="ClientNotes"/>.</item>
/// <item><see cref="Finance"/> (<see cref="FinanceAudience"/>): <c>GET /clients/{clientId}/spend</c> with <see cref="FinanceSpendReadScope"/> returns <see cref="ClientSpend"/>.</item>
/// <item><see cref="Documents"/> (<see cref="DocumentsAudience"/>): <c>POST /briefs</c> with <see cref="DocumentsBriefsWriteScope"/> takes a
/// <see cref="BriefDraft"/> and answers 201 with the stored <see cref="Brief"/> (its <c>Author</c> is the token's <c>sub</c>);
/// <c>GET /briefs/{id}</c> with <see cref="DocumentsBriefsReadScope"/> or <see cref="DocumentsBriefsWriteScope"/> returns the
/// caller's own brief.</item>
/// </list>
/// Customers with data: <c>acme</c> and <c>globex</c>; any other id gets 404. A missing or invalid token, or one for another
/// audience, gets 401; a valid token without the scope gets 403. Register the scopes with <see cref="AddScopesTo"/>.
/// </summary>
public sealed class DemoBusinessApis : IAsyncDisposable
{
    /// <summary>The scope for reading call notes from the CRM API.</summary>
    public const string CrmNotesReadScope = "crm.notes.read";

    /// <summary>The scope for reading a customer's spend from the finance API.</summary>
    public const string FinanceSpendReadScope = "finance.spend.read";

    /// <summary>The scope for creating briefs through the documents API.</summary>
    public const string DocumentsBriefsWriteScope = "docs.briefs.write";

    /// <summary>The scope for reading one's own briefs from the documents API.</summary>
    public const string DocumentsBriefsReadScope = "docs.briefs.read";

    /// <summary>The audience (resource) of the CRM API.</summary>
    public const string CrmAudience = "crm-api";

    /// <summary>The audience (resource) of the finance API.</summary>
    public const string FinanceAudience = "finance-api";

    /// <summary>The audience (resource) of the documents API.</summary>
    public const string DocumentsAudience = "docs-api";

    private readonly BriefStore _briefs;

    private DemoBusinessApis(DemoBusinessApi crm, DemoBusinessApi finance, DemoBusinessApi documents, BriefStore briefs)
    {
        Crm = crm;
        Finance = finance;
        Documents = documents;
        _briefs = briefs;
    }

    /// <summary>Every scope the three APIs use, in a fixed order.</summary>
    public static IReadOnlyList<string> AllScopes { get; } =
        [CrmNotesReadScope, FinanceSpendReadScope, DocumentsBriefsWriteScope, DocumentsBriefsReadScope];

    /// <summary>The customer identifiers the CRM and finance APIs have data for.</summary>
    public static IReadOnlyList<string> ClientIds => BusinessData.ClientIds;

    /// <summary>The CRM API.</summary>
    public DemoBusinessApi Crm { get; }

    /// <summary>The finance API.</summary>
    public DemoBusinessApi Finance { get; }

    /// <summary>The documents API.</summary>
    public DemoBusinessApi Documents { get; }

    /// <summary>A snapshot of the briefs the documents API stored since it started, oldest first.</summary>
    public IReadOnlyList<Brief> Briefs => _briefs.Snapshot();

    /// <summary>
    /// Declares the APIs' scopes on an identity provider's options, each mapped to its API's audience, so access tokens
    /// granted those scopes carry the right <c>aud</c>. Scopes already declared under the same name are left alone.
    /// </summary>
    /// <param name="options">The identity provider's options.</param>
    public static void AddScopesTo(DemoIdentityProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        AddScope(options, CrmNotesReadScope, CrmAudience);
        AddScope(options, FinanceSpendReadScope, FinanceAudience);
        AddScope(options, DocumentsBriefsWriteScope, DocumentsAudience);
        AddScope(options, DocumentsBriefsReadScope, DocumentsAudience);
    }

    /// <summary>
    /// Creates a public client (no secret) for an agent acting for a user: authorization code with PKCE plus refresh
    /// tokens, allowed all of <see cref="AllScopes"/> (<c>openid</c> and <c>offline_access</c> need no permission).
    /// </summary>
    /// <param name="clientId">The client identifier.</param>
    /// <param name="redirectUri">The callback the authorization endpoint may redirect to.</param>
    /// <returns>A client the caller adds to <see cref="DemoIdentityProviderOptions.Clients"/>, and may extend first.</returns>
    public static DemoClient CreateDelegatedClient(string clientId, Uri redirectUri)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        var client = new DemoClient(clientId, clientSecret: null);
        client.AllowedGrantTypes.Clear();
        client.AllowedGrantTypes.Add(DemoGrantTypes.AuthorizationCode);
        client.AllowedGrantTypes.Add(DemoGrantTypes.RefreshToken);
        foreach (var scope in AllScopes)
        {
            client.AllowedScopes.Add(scope);
        }

        client.RedirectUris.Add(redirectUri);
        return client;
    }

    /// <summary>Starts the three APIs, each on its own loopback port.</summary>
    /// <param name="options">The APIs' configuration; it is read at start.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running APIs.</returns>
    public static async Task<DemoBusinessApis> StartAsync(DemoBusinessApisOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var briefs = new BriefStore();

        // Started together: each start is mostly waiting on Kestrel, and a failed one must not leak the others.
        var starts = new[]
        {
            DemoBusinessApi.StartAsync(CrmAudience, options.CrmPort, options,
                BusinessEndpoints.AddCrmPolicies, BusinessEndpoints.MapCrm, cancellationToken),
            DemoBusinessApi.StartAsync(FinanceAudience, options.FinancePort, options,
                BusinessEndpoints.AddFinancePolicies, BusinessEndpoints.MapFinance, cancellationToken),
            DemoBusinessApi.StartAsync(DocumentsAudience, options.DocumentsPort, options,
                BusinessEndpoints.AddDocumentsPolicies, endpoints => BusinessEndpoints.MapDocuments(endpoints, briefs), cancellationToken),
        };

        try
        {
            await Task.WhenAll(starts).ConfigureAwait(false);
        }
        catch
        {
            foreach (var start in starts.Where(start => start.IsCompletedSuccessfully))
            {
                await start.Result.StopAsync().ConfigureAwait(false);
            }

            throw;
        }

        return new DemoBusinessApis(starts[0].Result, starts[1].Result, starts[2].Result, briefs);
    }

    /// <summary>Resets the counters and call logs of all three APIs (stored briefs are kept).</summary>
    public void ResetCounters()
    {
        Crm.ResetCounters();
        Finance.ResetCounters();
        Documents.ResetCounters();
    }

    /// <summary>Stops the three APIs and releases their ports.</summary>
    /// <returns>A task that completes when all three have stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Crm.StopAsync().AsTask(), Finance.StopAsync().AsTask(), Documents.StopAsync().AsTask()).ConfigureAwait(false);
    }

    private static void AddScope(DemoIdentityProviderOptions options, string name, string audience)
    {
        if (!options.Scopes.Any(scope => string.Equals(scope.Name, name, StringComparison.Ordinal)))
        {
            options.Scopes.Add(new DemoScope(name, audience));
        }
    }
}
