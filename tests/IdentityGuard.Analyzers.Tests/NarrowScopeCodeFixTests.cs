using System.Threading.Tasks;
using IdentityGuard.Analyzers.Descriptors;
using IdentityGuard.Analyzers.Scopes;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verifier = IdentityGuard.Analyzers.Tests.ScopeVerifier<IdentityGuard.Analyzers.Scopes.ScopeRequestAnalyzer>;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>The fix swaps the broad scope for one of its narrower alternatives, one action per alternative.</summary>
public class NarrowScopeCodeFixTests
{
    private static DiagnosticResult Expected(Microsoft.CodeAnalysis.DiagnosticDescriptor rule, string scope, string? vendor = null)
    {
        var finding = ScopeCatalog.Find(scope, vendor, RequestContext.Delegated)!.Value;
        return new DiagnosticResult(rule).WithLocation(0).WithArguments(scope, finding.Entry.Reason, finding.Suggestion());
    }

    private const string Msal = """
        using Microsoft.Identity.Client;
        class C
        {
            System.Threading.Tasks.Task<AuthenticationResult> Run(IPublicClientApplication app) =>
                app.AcquireTokenInteractive(new[] { "User.Read", SCOPE }).ExecuteAsync();
        }
        """;

    [Theory]
    [InlineData(0, "Files.Read")]
    [InlineData(1, "Files.ReadWrite.AppFolder")]
    public Task Each_alternative_is_its_own_action(int index, string alternative) => Verifier.CodeFixAsync(
        Msal.Replace("SCOPE", "{|#0:\"Files.ReadWrite.All\"|}"),
        Msal.Replace("SCOPE", "\"" + alternative + "\""),
        index,
        Expected(Rules.BroadScopeRequested, "Files.ReadWrite.All"));

    [Fact]
    public Task Graph_resource_prefix_is_kept() => Verifier.CodeFixAsync(
        Msal.Replace("SCOPE", "{|#0:\"https://graph.microsoft.com/Directory.ReadWrite.All\"|}"),
        Msal.Replace("SCOPE", "\"https://graph.microsoft.com/Directory.Read.All\""),
        0,
        Expected(Rules.BroadScopeRequested, "https://graph.microsoft.com/Directory.ReadWrite.All"));

    [Fact]
    public Task Read_write_suggestion_has_the_same_fix() => Verifier.CodeFixAsync(
        Msal.Replace("SCOPE", "{|#0:\"Mail.ReadWrite\"|}"),
        Msal.Replace("SCOPE", "\"Mail.Read\""),
        0,
        Expected(Rules.ReadWriteScope, "Mail.ReadWrite"));

    [Fact]
    public Task Only_the_broad_scope_of_a_space_separated_string_changes() => Verifier.CodeFixAsync(
        """
        using Duende.IdentityModel.Client;
        class C
        {
            ClientCredentialsTokenRequest Request() => new() { Scope = "openid {|#0:https://www.googleapis.com/auth/drive|} profile" };
        }
        """,
        """
        using Duende.IdentityModel.Client;
        class C
        {
            ClientCredentialsTokenRequest Request() => new() { Scope = "openid https://www.googleapis.com/auth/drive.readonly profile" };
        }
        """,
        0,
        Expected(Rules.BroadScopeRequested, "https://www.googleapis.com/auth/drive"));

    [Fact]
    public Task Second_alternative_for_github_org_admin() => Verifier.CodeFixAsync(
        """
        using Duende.IdentityModel.Client;
        class C
        {
            string Url(RequestUrl url) => url.CreateAuthorizeUrl("agent", "code", "read:user {|#0:admin:org|}");
        }
        """,
        """
        using Duende.IdentityModel.Client;
        class C
        {
            string Url(RequestUrl url) => url.CreateAuthorizeUrl("agent", "code", "read:user read:org");
        }
        """,
        0,
        Expected(Rules.BroadScopeRequested, "admin:org"));
}
