using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Threading.Tasks;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using IdentityGuard.Audit;
using IdentityGuard.Demo;

namespace ClientBriefAgent;

/// <summary>What one run of the scenario did.</summary>
/// <param name="Brief">The brief the agent wrote.</param>
/// <param name="ConsentPrompts">How many times the user was asked to approve the agent in this run.</param>
/// <param name="AuditTrail">The agent's audit events of this run.</param>
/// <param name="ApiCallers">The <c>sub</c> of every successful business-API call of this run.</param>
public sealed record ScenarioResult(Brief Brief, int ConsentPrompts, IReadOnlyList<AuditEvent> AuditTrail, IReadOnlyList<string?> ApiCallers);

/// <summary>
/// A sales executive asks the agent for a client brief. She signs in to the sales portal; the portal calls the
/// agent with her token; the agent verifies it, asks for her consent once, reads CRM notes and finance spend as
/// her, and writes the brief to the documents API.
/// </summary>
public static class Scenario
{
    public static async Task<ScenarioResult> RunAsync(ScenarioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var output = options.Output;
        var agentCallback = new Uri($"http://127.0.0.1:{options.AgentPort}/consent/callback");
        var portalCallback = new Uri($"http://127.0.0.1:{options.PortalPort}/signin-callback");

        await using var landscape = await DemoLandscape.StartAsync(options, agentCallback, portalCallback);
        await using var agent = await AgentHost.StartAsync(options, landscape, agentCallback);
        var agentAddress = new Uri($"http://127.0.0.1:{options.AgentPort}/");
        output.WriteLine($"Identity provider  {landscape.IdentityProvider.Issuer}");
        output.WriteLine($"CRM / finance / docs APIs  {landscape.Apis.Crm.BaseAddress} {landscape.Apis.Finance.BaseAddress} {landscape.Apis.Documents.BaseAddress}");
        output.WriteLine($"Client-brief agent {agentAddress}");
        output.WriteLine($"State folder       {options.DataDirectory}");
        output.WriteLine();

        output.WriteLine($"1. {options.User} signs in to the sales portal.");
        using var portal = new HttpClient { BaseAddress = agentAddress };
        portal.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await SignInToPortalAsync(landscape, portalCallback, options.User));

        output.WriteLine($"2. She asks the agent for a brief on client '{options.Client}'.");
        using var first = await portal.PostAsJsonAsync(new Uri("briefs", UriKind.Relative), new BriefRequest(options.Client));
        HttpResponseMessage answer = first;
        HttpResponseMessage? retried = null;
        if (first.StatusCode == HttpStatusCode.Forbidden)
        {
            var consent = await first.Content.ReadFromJsonAsync<ConsentNeeded>()
                ?? throw new InvalidOperationException("The agent refused without saying why.");
            output.WriteLine($"3. The agent needs her approval for: {string.Join(", ", consent.Scopes)}.");
            if (options.Interactive)
            {
                output.WriteLine("   Open this link in a browser to approve:");
                output.WriteLine($"   {consent.ConsentUrl}&login_hint={Uri.EscapeDataString(options.User)}");
                retried = await WaitForApprovalAsync(portal, options);
            }
            else
            {
                var approver = options.Approver ?? options.User;
                using var browser = new DemoBrowser(approver);
                using var callback = await browser.AuthorizeAndFollowAsync(consent.ConsentUrl);
                output.WriteLine(approver == options.User
                    ? $"   She approves in her browser; the agent's callback answers {(int)callback.StatusCode}."
                    : $"   She forwards the link to {approver}, who approves it; the agent's callback answers {(int)callback.StatusCode}.");
                retried = await portal.PostAsJsonAsync(new Uri("briefs", UriKind.Relative), new BriefRequest(options.Client));
            }

            answer = retried;
        }
        else
        {
            output.WriteLine("3. No approval needed: the agent already holds her grant from an earlier run.");
        }

        using (retried)
        {
            if (answer.StatusCode == HttpStatusCode.Forbidden && options.Approver is { } approver && approver != options.User)
            {
                // The consent link is hers alone; the agent still asks for her approval (the URL is not printed).
                throw new InvalidOperationException($"The agent answered 403 consent_required: {approver}'s approval was refused, and it still needs {options.User}'s own consent.");
            }

            if (answer.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"The agent answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
            }

            var brief = await answer.Content.ReadFromJsonAsync<Brief>() ?? throw new InvalidOperationException("The agent returned no brief.");
            var prompts = landscape.IdentityProvider.ConsentLog.Records.Count(r => r.Request.ClientId == DemoLandscape.AgentClientId);
            var callers = landscape.Apis.Crm.Calls.Concat(landscape.Apis.Finance.Calls).Concat(landscape.Apis.Documents.Calls)
                .Where(call => call.Succeeded)
                .Select(call => call.Subject)
                .ToArray();

            output.WriteLine($"4. The agent wrote {brief.Id} as {brief.Author}:");
            output.WriteLine();
            output.WriteLine($"   {brief.Title}");
            foreach (var line in brief.Content.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                output.WriteLine($"   {line.TrimEnd()}");
            }

            output.WriteLine();
            output.WriteLine("Audit trail (the agent's view; no token appears in it):");
            foreach (var auditEvent in agent.Audit.Events)
            {
                output.WriteLine($"   {auditEvent.Timestamp.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {auditEvent.Kind,-20} provider={auditEvent.Provider ?? "-"} scopes=[{string.Join(' ', auditEvent.Scopes)}]{(auditEvent.Reason is null ? string.Empty : " reason=" + auditEvent.Reason)}");
            }

            output.WriteLine();
            output.WriteLine($"Consent prompts this run: {prompts}{(prompts == 0 ? " (the stored grant was reused)" : string.Empty)}");
            output.WriteLine("Run again to see the grant reused; run with --reset to start over.");
            return new ScenarioResult(brief, prompts, agent.Audit.Events, callers);
        }
    }

    /// <summary>
    /// The portal's own sign-in (authorization code + PKCE, public client) through the scripted browser. It yields
    /// her access token for the agent: audience <c>client-brief-agent</c>, scope <c>agent.briefs</c>.
    /// </summary>
    private static async Task<string> SignInToPortalAsync(DemoLandscape landscape, Uri callback, string user)
    {
        var verifier = CryptoRandom.CreateUniqueId(32, CryptoRandom.OutputFormat.Base64Url);
        var challenge = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var state = CryptoRandom.CreateUniqueId(16, CryptoRandom.OutputFormat.Base64Url);
        var url = new RequestUrl(landscape.IdentityProvider.AuthorizationEndpoint.ToString()).CreateAuthorizeUrl(
            clientId: DemoLandscape.PortalClientId,
            responseType: OidcConstants.ResponseTypes.Code,
            scope: DemoLandscape.AgentScope,
            redirectUri: callback.ToString(),
            state: state,
            codeChallenge: challenge,
            codeChallengeMethod: OidcConstants.CodeChallengeMethods.Sha256);

        using var browser = new DemoBrowser(user);
        var redirect = await browser.AuthorizeAsync(new Uri(url));
        if (!redirect.IsSuccess || redirect.State != state)
        {
            throw new InvalidOperationException($"Portal sign-in failed: {redirect.Error ?? "state mismatch"}.");
        }

        using var http = new HttpClient();
        var response = await http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = landscape.IdentityProvider.TokenEndpoint.ToString(),
            ClientId = DemoLandscape.PortalClientId,
            Code = redirect.Code!,
            CodeVerifier = verifier,
            RedirectUri = callback.ToString(),
        });
        return response.IsError
            ? throw new InvalidOperationException($"Portal sign-in failed: {response.Error}.")
            : response.AccessToken!;
    }

    private static async Task<HttpResponseMessage> WaitForApprovalAsync(HttpClient portal, ScenarioOptions options)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(5);
        while (DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var attempt = await portal.PostAsJsonAsync(new Uri("briefs", UriKind.Relative), new BriefRequest(options.Client));
            if (attempt.StatusCode != HttpStatusCode.Forbidden)
            {
                return attempt;
            }

            attempt.Dispose();
        }

        throw new TimeoutException("No approval arrived within five minutes.");
    }
}
