using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Duende.IdentityModel.Client;
using IdentityGuard.Audit;
using IdentityGuard.Authorization;
using IdentityGuard.Background;
using IdentityGuard.Consent;
using IdentityGuard.Demo;
using IdentityGuard.Federation;
using IdentityGuard.Workload;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DelegatedFinanceLookup;

/// <summary>What a run showed.</summary>
/// <param name="Delegated">The finance API's answer to the lookup delegated through the finance agent.</param>
/// <param name="WeeklyReport">Its answer to the scheduled job acting under Maria's standing permission.</param>
/// <param name="RefusedAfterRevocation">Whether the job was refused once she revoked the permission.</param>
/// <param name="AgentAudit">The client-brief agent's audit trail.</param>
/// <param name="FinanceAgentAudit">The finance agent's audit lines (another process).</param>
internal sealed record ScenarioResult(SpendAnswer Delegated, SpendAnswer WeeklyReport, bool RefusedAfterRevocation, IReadOnlyList<AuditEvent> AgentAudit, IReadOnlyList<string> FinanceAgentAudit);

/// <summary>
/// Maria asks the client-brief agent for a client's spend. The agent delegates the lookup to the finance agent (another
/// process) with a token exchanged on her behalf; the finance agent exchanges again for the finance API, which answers
/// with the chain it verified. Then, while she is signed in, she pre-approves a weekly report, which a scheduled job
/// runs without her, until she revokes it.
/// </summary>
internal static class Scenario
{
    private const string Client = "contoso";

    public static async Task<ScenarioResult> RunAsync(TextWriter output, string dataDirectory)
    {
        var callback = new Uri($"http://127.0.0.1:{FreePort()}/consent/callback");
        await using var landscape = await Landscape.StartAsync(callback);
        await using var financeAgent = await FinanceAgentProcess.StartAsync(landscape, dataDirectory);
        var audit = new InMemoryAuditTrail();
        await using var agent = BuildAgent(landscape, financeAgent.Address, callback, audit, dataDirectory);
        await using var listener = new LoopbackConsentListener(agent.GetRequiredService<UserFederation>(), callback);
        listener.Start();
        var clients = agent.GetRequiredService<IHttpClientFactory>();

        // 1. Maria signs in to the portal, which calls the agent with her token; the agent verifies it.
        var verified = await agent.GetRequiredService<JwtAuthorizer>().ValidateAsync(await SignInToPortalAsync(landscape));
        if (!verified.Succeeded)
        {
            throw new InvalidOperationException("The agent refused the portal's token: " + verified.Failure.Reason);
        }

        var maria = agent.GetRequiredService<WorkloadIdentity>().IssueForVerifiedCaller(verified.Caller);
        output.WriteLine($"Maria asks for the spend of {Client}; the agent delegates the lookup to the finance agent.");
        SpendAnswer delegated;
        using (WorkloadContext.Use(maria))
        {
            delegated = await GetSpendAsync(clients.CreateClient("finance-agent"), "lookup/" + Client);
        }

        output.WriteLine($"  finance API: {delegated.Client} spent {delegated.Spend:N2}; it served {delegated.Subject} through [{string.Join(" < ", delegated.Actors)}]");

        // 2. Still signed in, she lets the agent read her finance data and pre-approves a weekly report for 7 days.
        var standing = agent.GetRequiredService<StandingPermissions>();
        var federation = agent.GetRequiredService<UserFederation>();
        try
        {
            await federation.GetAccessTokenAsync(maria, "Corp", [Names.SpendScope]);
        }
        catch (ConsentRequiredException consent)
        {
            output.WriteLine("Maria approves the agent's access to her finance data (consent, once).");
            using var browser = new DemoBrowser(Names.User);
            using var approved = await browser.AuthorizeAndFollowAsync(consent.Request!.AuthorizationUrl);
        }

        var permission = await standing.GrantAsync(maria, "Corp", [Names.SpendScope], TimeSpan.FromDays(7));
        output.WriteLine($"Maria pre-approves the weekly report: [{string.Join(' ', permission.Scopes)}] until {permission.ExpiresAt:yyyy-MM-dd}.");

        // 3. Later: the scheduled job, with no inbound token, only within her standing permission.
        var job = await standing.IssueForBackgroundJobAsync(permission.UserKey, "Corp");
        SpendAnswer weekly;
        using (WorkloadContext.Use(job))
        {
            weekly = await GetSpendAsync(clients.CreateClient("finance-api"), "spend/" + Client);
        }

        output.WriteLine($"Weekly report job: {weekly.Client} spent {weekly.Spend:N2}, read for {weekly.Subject} with her own grant.");

        // 4. Maria revokes; the next scheduled run is refused.
        await standing.RevokeAsync(permission.UserKey, "Corp");
        var refused = false;
        try
        {
            await standing.IssueForBackgroundJobAsync(permission.UserKey, "Corp");
        }
        catch (StandingPermissionException ex)
        {
            refused = true;
            output.WriteLine($"After Maria revoked it, the next weekly run is refused ({ex.Reason}).");
        }

        output.WriteLine();
        output.WriteLine("Audit trail of the client-brief agent:");
        foreach (var auditEvent in audit.Events)
        {
            output.WriteLine("  " + auditEvent);
        }

        output.WriteLine("Audit trail of the finance agent (another process):");
        var financeAudit = financeAgent.AuditLines.ToArray();
        foreach (var line in financeAudit)
        {
            output.WriteLine("  " + line);
        }

        return new ScenarioResult(delegated, weekly, refused, audit.Events, financeAudit);
    }

    private static ServiceProvider BuildAgent(Landscape landscape, Uri financeAgent, Uri callback, InMemoryAuditTrail audit, string dataDirectory)
    {
        // Production would read these from appsettings and a secret store; the manifest stays the same.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IdentityGuard:Providers:FinanceAgent:DiscoveryUrl"] = landscape.IdentityProvider.DiscoveryUrl.ToString(),
            ["IdentityGuard:Providers:Corp:DiscoveryUrl"] = landscape.IdentityProvider.DiscoveryUrl.ToString(),
            ["Agent:ClientSecret"] = landscape.BriefAgentSecret,
            ["IdentityGuard:Consent:RedirectUri"] = callback.ToString(),
            ["IdentityGuard:Vault:DatabasePath"] = Path.Combine(dataDirectory, "client-brief-agent", "vault.db"),
        }).Build();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IAuditSink>(audit);
        services.AddIdentityGuard(configuration)
            .AddVault()
            .AddUserFederation()
            .AddAuthorizer(authorizer =>
            {
                authorizer.DiscoveryUrl = landscape.IdentityProvider.DiscoveryUrl;
                authorizer.Audiences.Add(Names.BriefAgent);
                authorizer.RequiredScopes.Add(Names.AgentScope);
                authorizer.AllowedClientIds.Add(Names.Portal);
                authorizer.ActorRequirement = ActorRequirement.Refused;
            });

        // Each client carries only what its callee needs, for the user of the current operation.
        services.AddHttpClient("finance-agent", http => http.BaseAddress = financeAgent).WithFinanceAgentToken(FinanceAgentScopes.Lookup);
        services.AddHttpClient("finance-api", http => http.BaseAddress = landscape.FinanceApiAddress).WithCorpToken(CorpScopes.FinanceSpendRead);
        return services.BuildServiceProvider();
    }

    /// <summary>The portal's sign-in (authorization code + PKCE) for the user; the scripted browser stands in for hers.</summary>
    private static async Task<string> SignInToPortalAsync(Landscape landscape)
    {
        var verifier = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var url = new RequestUrl(landscape.IdentityProvider.AuthorizationEndpoint.ToString()).CreateAuthorizeUrl(
            clientId: Names.Portal,
            responseType: "code",
            scope: Names.AgentScope,
            redirectUri: Landscape.PortalCallback.ToString(),
            state: Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
            codeChallenge: challenge,
            codeChallengeMethod: "S256",
            loginHint: Names.User);

        using var browser = new DemoBrowser(Names.User);
        var redirect = await browser.AuthorizeAsync(new Uri(url));
        if (!redirect.IsSuccess)
        {
            throw new InvalidOperationException("Sign-in failed: " + redirect.Error);
        }

        using var http = new HttpClient();
        var tokens = await http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = landscape.IdentityProvider.TokenEndpoint.ToString(),
            ClientId = Names.Portal,
            Code = redirect.Code!,
            RedirectUri = Landscape.PortalCallback.ToString(),
            CodeVerifier = verifier,
        });
        return tokens.AccessToken ?? throw new InvalidOperationException("Sign-in failed: " + tokens.Error);
    }

    private static async Task<SpendAnswer> GetSpendAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}.");
        }

        return (await response.Content.ReadFromJsonAsync<SpendAnswer>())!;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
