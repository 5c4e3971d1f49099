using System.Threading.Tasks;
using IdentityGuard.Analyzers.Descriptors;
using IdentityGuard.Analyzers.Scopes;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verifier = IdentityGuard.Analyzers.Tests.ScopeVerifier<IdentityGuard.Analyzers.Scopes.ScopeRequestAnalyzer>;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>IG0101, IG0102 and IG0103 on scopes passed to token APIs.</summary>
public class ScopeRequestTests
{
    private const string Manifest = """
        {
          "workload": "agent",
          "providers": {
            "Drive": { "kind": "oauth2", "vendor": "google", "flow": "userFederation", "clientId": "x",
              "scopes": { "ReadOnly": "https://www.googleapis.com/auth/drive.readonly" } },
            "Code": { "kind": "oauth2", "vendor": "github", "flow": "userFederation", "clientId": "x",
              "scopes": { "Repo": "repo", "Status": "repo:status", "Org": "read:org" } }
          }
        }
        """;

    /// <summary>IG0101 at a markup location, with the catalog's reason and suggestion for a user's token.</summary>
    private static DiagnosticResult IG0101(int markup, string scope, string? vendor = null)
    {
        var finding = ScopeCatalog.Find(scope, vendor, RequestContext.Delegated)!.Value;
        return new DiagnosticResult(Rules.BroadScopeRequested).WithLocation(markup).WithArguments(scope, finding.Entry.Reason, finding.Suggestion());
    }

    private static DiagnosticResult IG0102(int markup, string scope, string provider) =>
        new DiagnosticResult(Rules.UndeclaredScope).WithLocation(markup).WithArguments(scope, provider);

    private static DiagnosticResult IG0101(int markup) => new DiagnosticResult(Rules.BroadScopeRequested).WithLocation(markup);

    private static DiagnosticResult IG0103(int markup) => new DiagnosticResult(Rules.ReadWriteScope).WithLocation(markup);

    [Fact]
    public Task Msal_delegated_requests_report_broad_graph_scopes_and_dot_default() => Verifier.AnalyzerAsync(
        """
        using Microsoft.Identity.Client;
        class C
        {
            async System.Threading.Tasks.Task Run(IPublicClientApplication app, IConfidentialClientApplication daemon, IAccount account)
            {
                await app.AcquireTokenInteractive(new[] { "User.Read", {|#0:"Files.ReadWrite.All"|} }).ExecuteAsync();
                await app.AcquireTokenInteractive(new[] { {|#1:"https://graph.microsoft.com/.default"|} }).ExecuteAsync();
                await app.AcquireTokenSilent(new[] { "Mail.Read", {|#2:"Mail.ReadWrite"|} }, account).ExecuteAsync();
                await app.AcquireTokenInteractive(new[] { "Files.Read" }).WithExtraScopesToConsent(new[] { {|#3:"Sites.FullControl.All"|} }).ExecuteAsync();
                // Client credentials must ask for .default: not reported.
                await daemon.AcquireTokenForClient(new[] { "https://graph.microsoft.com/.default" }).ExecuteAsync();
                await daemon.AcquireTokenOnBehalfOf(new[] { {|#4:"Directory.AccessAsUser.All"|} }, new UserAssertion("jwt")).ExecuteAsync();
            }
        }
        """,
        IG0101(0).WithArguments(
            "Files.ReadWrite.All",
            "grants read and write access to every file the user can reach, not only their own",
            "request 'Files.Read', 'Files.ReadWrite.AppFolder' or 'Files.ReadWrite' instead"),
        IG0101(1, "https://graph.microsoft.com/.default"),
        IG0103(2).WithArguments("Mail.ReadWrite", "grants creating, changing and deleting the user's mail", "request 'Mail.Read' instead"),
        IG0101(3, "Sites.FullControl.All"),
        IG0101(4, "Directory.AccessAsUser.All"));

    [Fact]
    public Task Identity_web_reads_collection_expressions_lists_and_constants() => Verifier.AnalyzerAsync(
        """
        using System.Collections.Generic;
        using Microsoft.Identity.Web;
        class C
        {
            private const string Everything = "Directory.ReadWrite.All";

            async System.Threading.Tasks.Task Run(ITokenAcquisition tokens)
            {
                await tokens.GetAccessTokenForUserAsync([{|#0:"Group.ReadWrite.All"|}, "User.Read"]);
                await tokens.GetAccessTokenForUserAsync(new List<string> { {|#1:"https://graph.microsoft.com/Sites.ReadWrite.All"|} });
                await tokens.GetAccessTokenForUserAsync(new[] { {|#2:Everything|} });
                await tokens.GetAccessTokenForAppAsync("https://graph.microsoft.com/.default");
                await tokens.GetAccessTokenForUserAsync(new[] { "Mail.Read", "User.Read", "Files.Read.All" });
            }
        }
        """,
        IG0101(0, "Group.ReadWrite.All"),
        IG0101(1).WithArguments(
            "https://graph.microsoft.com/Sites.ReadWrite.All",
            "grants read and write access to that resource for the whole organization",
            "request 'https://graph.microsoft.com/Sites.Read.All' instead"),
        IG0101(2, "Directory.ReadWrite.All"));

    [Fact]
    public Task Duende_space_separated_scopes_are_reported_at_the_scope_inside_the_string() => Verifier.AnalyzerAsync(
        """
        using Duende.IdentityModel.Client;
        class C
        {
            void Run(RequestUrl url)
            {
                var m2m = new ClientCredentialsTokenRequest { ClientId = "agent", Scope = "crm.notes.read {|#0:admin|}" };
                m2m.Scope = "{|#1:https://www.googleapis.com/auth/cloud-platform|} openid";
                var exchange = new TokenExchangeTokenRequest { SubjectToken = "t", Scope = {|#2:"*"|} };
                var authorize = url.CreateAuthorizeUrl("agent", "code", scope: "openid repo {|#3:admin:org|} read:org repo:status");
                var fine = url.CreateAuthorizeUrl("agent", "code", "openid profile crm.admin.read admin.notes:read");
            }
        }
        """,
        IG0101(0).WithArguments("admin", "asks for administrative access", "request only the specific permissions the task needs"),
        IG0101(1, "https://www.googleapis.com/auth/cloud-platform"),
        IG0101(2, "*"),
        IG0101(3, "admin:org"));

    [Fact]
    public Task Broad_scopes_in_comments_unrelated_strings_and_lookalike_methods_are_not_reported() => Verifier.AnalyzerAsync(
        """
        namespace Contoso.Client
        {
            class Lookalike
            {
                public void AcquireTokenInteractive(string[] scopes) { }
                public string? Scope { get; set; }
            }

            class C
            {
                // The agent used to ask for https://www.googleapis.com/auth/drive and Directory.ReadWrite.All.
                private readonly string _note = "https://www.googleapis.com/auth/drive";

                void Run(Lookalike other)
                {
                    System.Console.WriteLine("Directory.ReadWrite.All");
                    other.AcquireTokenInteractive(new[] { "Directory.ReadWrite.All" });
                    other.Scope = "*";
                    var scopes = new[] { "repo", "admin:org" };
                }
            }
        }
        """);

    [Fact]
    public Task IdentityGuard_string_apis_report_broad_and_undeclared_scopes_against_the_manifest() => Verifier.AnalyzerAsync(
        """
        using System.Collections.Generic;
        using IdentityGuard.Federation;
        using IdentityGuard.Workload;
        class C
        {
            async System.Threading.Tasks.Task Run(UserFederation federation, WorkloadAccessToken wat)
            {
                await federation.GetAccessTokenAsync(wat, "Drive", new[] { "https://www.googleapis.com/auth/drive.readonly" });
                await federation.GetAccessTokenAsync(wat, "drive", new[] { "https://www.googleapis.com/auth/drive.readonly" });
                await federation.GetAccessTokenAsync(wat, "Drive", new[] { {|#0:"https://www.googleapis.com/auth/drive"|} });
                await federation.RequestConsentAsync(wat, "Drive", new List<string> { {|#1:"https://www.googleapis.com/auth/calendar.readonly"|} });
                await federation.GetAccessTokenAsync(wat, "Code", new[] { {|#2:"repo"|}, "repo:status", "read:org" });
                await federation.GetAccessTokenAsync(wat, "Code", new[] { {|#3:"public_repo"|} });
                await federation.GetAccessTokenAsync(wat, "Unknown", new[] { "anything" });
            }
        }
        """,
        Manifest,
        IG0101(0, "https://www.googleapis.com/auth/drive"),
        IG0102(0, "https://www.googleapis.com/auth/drive", "Drive"),
        IG0102(1, "https://www.googleapis.com/auth/calendar.readonly", "Drive"),
        IG0101(2, "repo", "github"),
        IG0102(3, "public_repo", "Code"));

    [Fact]
    public Task Without_a_manifest_only_the_catalog_applies_and_plain_words_are_not_guessed() => Verifier.AnalyzerAsync(
        """
        using IdentityGuard.Federation;
        using IdentityGuard.Workload;
        class C
        {
            async System.Threading.Tasks.Task Run(UserFederation federation, WorkloadAccessToken wat)
            {
                await federation.GetAccessTokenAsync(wat, "Code", new[] { "repo", "public_repo", {|#0:"delete_repo"|} });
            }
        }
        """,
        IG0101(0, "delete_repo"));
}
