using System.Threading.Tasks;
using IdentityGuard.Analyzers.Descriptors;
using IdentityGuard.Analyzers.Scopes;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verifier = IdentityGuard.Analyzers.Tests.ScopeVerifier<IdentityGuard.Analyzers.Scopes.ManifestScopeAnalyzer>;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>IG0100 and IG0103 on identityguard.json: reported at the scope value, by vendor or by the scope's spelling.</summary>
public class ManifestScopeTests
{
    private const string NoCode = "class C { }";
    private const string Path = Verifier.ManifestPath;

    /// <summary>IG0100 at the quoted scope value, with the catalog's reason and suggestion.</summary>
    private static DiagnosticResult IG0100(int line, int column, string scope, string provider, string? vendor)
    {
        var finding = ScopeCatalog.Find(scope, vendor, RequestContext.Delegated)!.Value;
        return new DiagnosticResult(Rules.BroadScopeDeclared).WithSpan(Path, line, column, line, column + scope.Length + 2)
            .WithArguments(provider, scope, finding.Entry.Reason, finding.Suggestion());
    }

    private static DiagnosticResult IG0103(int line, int column, string scope, string? vendor)
    {
        var finding = ScopeCatalog.Find(scope, vendor, RequestContext.Delegated)!.Value;
        return new DiagnosticResult(Rules.ReadWriteScope).WithSpan(Path, line, column, line, column + scope.Length + 2)
            .WithArguments(scope, finding.Entry.Reason, finding.Suggestion());
    }

    [Fact]
    public Task Google_drive_is_reported_at_its_line_and_column_with_the_narrower_scopes() => Verifier.AnalyzerAsync(
        NoCode,
        """
        {
          "workload": "client-brief-agent",
          "providers": {
            "Drive": {
              "kind": "oauth2", "vendor": "google", "flow": "userFederation",
              "clientId": { "configuration": "Google:ClientId" },
              "scopes": {
                "ReadOnly": "https://www.googleapis.com/auth/drive.readonly",
                "Everything": "https://www.googleapis.com/auth/drive"
              }
            }
          }
        }
        """,
        new DiagnosticResult(Rules.BroadScopeDeclared).WithSpan(Path, 9, 23, 9, 62).WithArguments(
            "Drive",
            "https://www.googleapis.com/auth/drive",
            "grants read and write access to every file in the user's Google Drive",
            "request 'https://www.googleapis.com/auth/drive.readonly' or 'https://www.googleapis.com/auth/drive.file' instead"));

    [Fact]
    public Task Vendor_scopes_are_reported_per_vendor_and_narrow_ones_are_not() => Verifier.AnalyzerAsync(
        NoCode,
        """
        {
          "workload": "agent",
          "providers": {
            "Code": { "kind": "oauth2", "vendor": "github", "flow": "userFederation", "clientId": "x",
              "scopes": { "Repo": "repo", "Status": "repo:status", "Public": "public_repo", "Org": "read:org", "OrgAdmin": "admin:org" } },
            "Chat": { "kind": "oauth2", "vendor": "slack", "flow": "userFederation", "clientId": "x",
              "scopes": { "Email": "users:read.email", "History": "channels:history", "Grid": "admin.conversations:read" } },
            "Crm": { "kind": "oauth2", "vendor": "salesforce", "flow": "userFederation", "clientId": "x",
              "scopes": { "Api": "api", "Refresh": "refresh_token", "Full": "full" } },
            "Jira": { "kind": "oauth2", "vendor": "atlassian", "flow": "userFederation", "clientId": "x",
              "scopes": { "Offline": "offline_access", "Read": "read:jira-work", "Write": "write:jira-work", "Config": "manage:jira-configuration" } }
          }
        }
        """,
        IG0100(5, 27, "repo", "Code", "github"),
        IG0100(5, 116, "admin:org", "Code", "github"),
        IG0100(7, 87, "admin.conversations:read", "Chat", "slack"),
        IG0100(9, 69, "full", "Crm", "salesforce"),
        IG0103(11, 83, "write:jira-work", "atlassian"),
        IG0100(11, 112, "manage:jira-configuration", "Jira", "atlassian"));

    [Fact]
    public Task Without_a_vendor_only_scopes_that_name_their_vendor_and_wildcards_are_reported() => Verifier.AnalyzerAsync(
        NoCode,
        """
        {
          "workload": "agent",
          "providers": {
            "Custom": { "kind": "oauth2", "flow": "m2m", "tokenEndpoint": "https://login.example.com/token", "clientId": "x",
              "scopes": { "Repo": "repo", "Full": "full", "Notes": "crm.admin.read", "Dir": "Directory.ReadWrite.All", "Star": "*", "Crm": "crm.*" } }
          }
        }
        """,
        IG0100(5, 85, "Directory.ReadWrite.All", "Custom", null),
        IG0100(5, 120, "*", "Custom", null),
        IG0100(5, 132, "crm.*", "Custom", null));

    [Fact]
    public Task Dot_default_is_reported_for_user_federation_but_not_for_m2m() => Verifier.AnalyzerAsync(
        NoCode,
        """
        {
          "workload": "agent",
          "providers": {
            "Graph": { "kind": "oauth2", "vendor": "microsoft", "tenant": "contoso.onmicrosoft.com", "flow": "userFederation", "clientId": "x",
              "scopes": { "Default": "https://graph.microsoft.com/.default", "Mail": "Mail.ReadWrite", "Read": "Mail.Read" } },
            "GraphJob": { "kind": "oauth2", "vendor": "microsoft", "tenant": "contoso.onmicrosoft.com", "flow": "m2m", "clientId": "x",
              "scopes": { "Default": "https://graph.microsoft.com/.default" } }
          }
        }
        """,
        IG0100(5, 30, "https://graph.microsoft.com/.default", "Graph", "microsoft"),
        IG0103(5, 78, "Mail.ReadWrite", "microsoft"));

    [Fact]
    public Task Broad_scope_strings_outside_scopes_and_unparsable_manifests_are_not_reported()
    {
        return Verifier.AnalyzerAsync(
            NoCode,
            """
            {
              "workload": "https://www.googleapis.com/auth/drive",
              "providers": {
                "Drive": { "kind": "oauth2", "vendor": "google", "flow": "userFederation", "clientId": "x",
                  "audience": "https://www.googleapis.com/auth/drive", "scopes": { "ReadOnly": "https://www.googleapis.com/auth/drive.readonly" } }
              }
            }
            """);
    }

    [Fact]
    public Task A_manifest_that_is_not_json_reports_nothing_here() => Verifier.AnalyzerAsync(
        NoCode,
        "{ \"providers\": { \"Drive\": { \"scopes\": { \"All\": \"https://www.googleapis.com/auth/drive\" }, } ");

    [Fact]
    public Task Other_json_files_are_not_read()
    {
        var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<ManifestScopeAnalyzer, DefaultVerifier> { TestCode = NoCode };
        test.ReferenceAssemblies = new ReferenceAssemblies("net8.0");
        test.TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net80.References.All);
        test.TestState.AdditionalFiles.Add(("/0/appsettings.json", "{ \"providers\": { \"X\": { \"scopes\": { \"All\": \"*\" } } } }"));
        return test.RunAsync();
    }
}
