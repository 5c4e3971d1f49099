using System;
using System.IO;
using System.Linq;
using IdentityGuard.Analyzers.CodeFixes.Scopes;
using IdentityGuard.Analyzers.Scopes;
using Xunit;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>The scope catalog as data: lookups, near misses, and agreement with the vendor list and the docs.</summary>
public class ScopeCatalogTests
{
    private const string GoogleAuth = "https://www.googleapis.com/auth/";

    [Theory]
    [InlineData(GoogleAuth + "drive", "google", "Broad", GoogleAuth + "drive.readonly")]
    [InlineData(GoogleAuth + "drive", null, "Broad", GoogleAuth + "drive.readonly")]
    [InlineData("https://mail.google.com/", null, "Broad", GoogleAuth + "gmail.readonly")]
    [InlineData(GoogleAuth + "gmail.modify", "google", "Broad", GoogleAuth + "gmail.readonly")]
    [InlineData(GoogleAuth + "cloud-platform", "custom", "Broad", GoogleAuth + "cloud-platform.read-only")]
    [InlineData(GoogleAuth + "calendar", "google", "Broad", GoogleAuth + "calendar.readonly")]
    [InlineData("Directory.ReadWrite.All", null, "Broad", "Directory.Read.All")]
    [InlineData("directory.readwrite.all", "microsoft", "Broad", "Directory.Read.All")]
    [InlineData("https://graph.microsoft.com/Files.ReadWrite.All", null, "Broad", "https://graph.microsoft.com/Files.Read")]
    [InlineData("Sites.ReadWrite.All", "microsoft", "Broad", "Sites.Read.All")]
    [InlineData("Sites.FullControl.All", null, "Broad", "Sites.Selected")]
    [InlineData("Directory.AccessAsUser.All", null, "Broad", "User.Read.All")]
    [InlineData("Mail.ReadWrite", "microsoft", "ReadWrite", "Mail.Read")]
    [InlineData("repo", "github", "Broad", "public_repo")]
    [InlineData("admin:org", "github", "Broad", "read:org")]
    [InlineData("admin:repo_hook", null, "Broad", "read:repo_hook")]
    [InlineData("delete:packages", null, "Broad", "read:packages")]
    [InlineData("user", "github", "Broad", "read:user")]
    [InlineData("admin.conversations:read", "slack", "Broad", "channels:read")]
    [InlineData("admin.conversations:read", null, "Broad", "channels:read")]
    [InlineData("chat:write.customize", "slack", "Broad", "chat:write")]
    [InlineData("full", "salesforce", "Broad", "api")]
    [InlineData("web", "salesforce", "Broad", "api")]
    [InlineData("manage:jira-configuration", "atlassian", "Broad", "read:jira-work")]
    [InlineData("write:jira-work", null, "ReadWrite", "read:jira-work")]
    [InlineData("okta.users.manage", "okta", "Broad", "okta.users.read")]
    public void Broad_scopes_are_found_with_their_first_alternative(string scope, string? vendor, string breadth, string firstAlternative)
    {
        var finding = ScopeCatalog.Find(scope, vendor, RequestContext.Delegated);
        Assert.NotNull(finding);
        Assert.Equal(breadth, finding.Value.Entry.Breadth.ToString());
        Assert.Equal(firstAlternative, finding.Value.Alternatives[0]);
    }

    [Theory]
    [InlineData("*", "custom")]
    [InlineData("all", null)]
    [InlineData("Admin", null)]
    [InlineData("root", "google")]
    [InlineData("*.all", null)]
    [InlineData("crm.*", null)]
    [InlineData("api:*", "custom")]
    [InlineData("admin", "slack")]
    [InlineData("delete_repo", null)]
    [InlineData("workflow", "github")]
    public void Wildcards_and_alternative_free_scopes_are_found_without_alternatives_or_with_them(string scope, string? vendor) =>
        Assert.NotNull(ScopeCatalog.Find(scope, vendor, RequestContext.Unknown));

    [Theory]
    [InlineData(GoogleAuth + "drive.readonly", "google")]
    [InlineData(GoogleAuth + "drive.file", null)]
    [InlineData("Mail.Read", "microsoft")]
    [InlineData("User.Read", null)]
    [InlineData("Files.Read.All", null)]
    [InlineData("read:org", "github")]
    [InlineData("repo:status", "github")]
    [InlineData("public_repo", "github")]
    [InlineData("users:read.email", "slack")]
    [InlineData("channels:history", "slack")]
    [InlineData("offline_access", "atlassian")]
    [InlineData("read:jira-work", "atlassian")]
    [InlineData("api", "salesforce")]
    [InlineData("refresh_token", "salesforce")]
    [InlineData("okta.users.read", "okta")]
    [InlineData("crm.admin.read", null)]
    [InlineData("administrator.notes", null)]
    [InlineData("admin.notes:read", null)] // Slack's admin.* family applies only where the vendor is slack
    [InlineData("repo", null)]             // a plain word names no vendor: only GitHub's repo is broad
    [InlineData("full", "custom")]
    [InlineData("user", null)]
    [InlineData("openid", null)]
    [InlineData("", null)]
    public void Narrow_scopes_and_near_misses_are_not_found(string scope, string? vendor) =>
        Assert.Null(ScopeCatalog.Find(scope, vendor, RequestContext.Delegated));

    [Theory]
    [InlineData("Delegated", true)]
    [InlineData("OnBehalfOf", false)]
    [InlineData("M2M", false)]
    [InlineData("Unknown", false)]
    public void Dot_default_is_broad_only_for_a_signed_in_user(string contextName, bool reported)
    {
        var context = Enum.Parse<RequestContext>(contextName);
        Assert.Equal(reported, ScopeCatalog.Find("https://graph.microsoft.com/.default", null, context) is not null);
        Assert.Equal(reported, ScopeCatalog.Find("api://crm-api/.default", "microsoft", context) is not null);
    }

    [Fact]
    public void Distinctive_exact_rows_are_unique_across_vendors()
    {
        var duplicates = ScopeCatalog.All
            .Where(row => !row.IsFamily && row.Distinctive)
            .GroupBy(row => row.Prefix, StringComparer.OrdinalIgnoreCase)
            .Where(group => group.Count() > 1)
            .Select(group => group.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Every_row_has_a_reason_and_alternatives_are_not_the_scope_itself()
    {
        foreach (var row in ScopeCatalog.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(row.Reason), row.Prefix);
            Assert.DoesNotContain(row.Prefix, row.Alternatives);
            Assert.All(row.Alternatives, alternative => Assert.DoesNotContain(' ', alternative));
            Assert.True(row.Vendor == ScopeCatalog.AnyVendor || ScopeCatalog.Vendors.Contains(row.Vendor), row.Vendor);
        }
    }

    [Fact]
    public void Catalog_vendors_are_manifest_vendor_names()
    {
        // The manifest's vendor list is compiled into the analyzers (the shared manifest contract), so compare the lists themselves.
        Assert.All(ScopeCatalog.Vendors, vendor => Assert.Contains(vendor, IdentityGuard.ManifestContract.VendorCatalog.Names));
    }

    [Fact]
    public void Doc_page_lists_every_catalog_row()
    {
        var page = File.ReadAllText(RepositoryFiles.PathOf("docs", "rules", "IG0100.md"));
        Assert.All(ScopeCatalog.All, row => Assert.Contains("`" + Display(row) + "`", page, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("repo", "repo", "public_repo", "public_repo")]
    [InlineData("openid repo user", "repo", "public_repo", "openid public_repo user")]
    [InlineData("read:user user", "user", "read:user", "read:user")]
    [InlineData("admin x admin", "admin", "y", "y x")]
    public void Fix_replaces_the_scope_once_and_never_duplicates_the_alternative(string value, string scope, string alternative, string expected) =>
        Assert.Equal(expected, NarrowScopeCodeFix.Replace(value, scope, alternative));

    /// <summary>How the doc page writes a row: the scope, or the family pattern with <c>{…}</c> for the matched part.</summary>
    internal static string Display(BroadScope row) => row.IsFamily ? row.Prefix + "{…}" + row.Suffix : row.Prefix;
}
