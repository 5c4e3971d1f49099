using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace IdentityGuard.Analyzers.Scopes;

/// <summary>
/// The scope catalog: vendor scopes that grant more than an agent's task usually needs, with narrower
/// alternatives, taken from the vendors' public scope references (Google's per-API "Choose scopes" pages, the
/// Microsoft Graph permissions reference, GitHub's "Scopes for OAuth apps", Slack's scope reference, Salesforce's
/// "OAuth Tokens and Scopes", Atlassian's Jira/Confluence scope lists, Okta's management scopes).
/// </summary>
/// <remarks>
/// Data, not code: the table below is the whole of what the rules know. It is indexed once (static
/// initialization) into read-only dictionaries keyed by scope string; a lookup is one hash probe per step.
/// (<c>FrozenDictionary</c> would need a newer System.Collections.Immutable than the oldest supported compiler
/// host loads, so the dictionaries are plain and never written after initialization.)
/// Lookup order: the vendor's exact rows, the vendor's families, then the generic wildcards that apply to every
/// vendor. When the vendor is not known, only <see cref="BroadScope.Distinctive"/> rows are consulted.
/// </remarks>
internal static class ScopeCatalog
{
    public const string Google = "google";
    public const string Microsoft = "microsoft";
    public const string GitHub = "github";
    public const string Slack = "slack";
    public const string Salesforce = "salesforce";
    public const string Atlassian = "atlassian";
    public const string Okta = "okta";
    public const string AnyVendor = "*";

    private const string GoogleAuth = "https://www.googleapis.com/auth/";
    private const string GraphResource = "https://graph.microsoft.com/";

    /// <summary>Resources whose permissions the Microsoft rows name besides Graph (Exchange Online's EWS permissions).</summary>
    private static readonly string[] MicrosoftResources = { GraphResource, "https://outlook.office365.com/", "https://outlook.office.com/" };

    /// <summary>Every row, in the order the docs list them.</summary>
    public static ImmutableArray<BroadScope> All { get; } = ImmutableArray.Create(
        // Google: full-product scopes next to their read-only or per-file counterparts.
        G("drive", "grants read and write access to every file in the user's Google Drive", "drive.readonly", "drive.file"),
        Row(Google, "https://mail.google.com/", ScopeBreadth.Broad, true, "grants full access to the user's Gmail, including permanent deletion of mail",
            GoogleAuth + "gmail.readonly", GoogleAuth + "gmail.send"),
        G("gmail.modify", "grants read, send and delete access to all of the user's Gmail", "gmail.readonly", "gmail.send"),
        G("cloud-platform", "grants read and write access to every Google Cloud service the user can reach", "cloud-platform.read-only", "devstorage.read_only", "bigquery.readonly"),
        G("devstorage.full_control", "grants full control of Cloud Storage buckets and objects, including their access control lists", "devstorage.read_write", "devstorage.read_only"),
        G("calendar", "grants read and write access to all of the user's calendars and their sharing", "calendar.readonly", "calendar.events"),
        G("spreadsheets", "grants read and write access to every Google Sheets spreadsheet of the user", "spreadsheets.readonly", "drive.file"),
        G("documents", "grants read and write access to every Google Docs document of the user", "documents.readonly", "drive.file"),
        G("admin.directory.user", "grants management of every user account in the Google Workspace domain", "admin.directory.user.readonly"),
        G("admin.directory.group", "grants management of every group in the Google Workspace domain", "admin.directory.group.readonly"),
        G("contacts", "grants read and write access to all of the user's contacts", ScopeBreadth.ReadWrite, "contacts.readonly"),
        G("calendar.events", "grants read and write access to the events of all of the user's calendars", ScopeBreadth.ReadWrite, "calendar.events.readonly"),
        G("youtube", "grants managing the user's YouTube account, including deleting videos and playlists", "youtube.readonly"),
        G("bigquery", "grants viewing and managing BigQuery data and jobs in every project the user can reach", "bigquery.readonly"),
        G("compute", "grants creating, changing and deleting Compute Engine resources in every project the user can reach", "compute.readonly"),
        G("presentations", "grants read and write access to every Google Slides presentation of the user", "presentations.readonly", "drive.file"),
        G("admin.directory.rolemanagement", "grants assigning administrator roles in the Google Workspace domain", "admin.directory.rolemanagement.readonly"),
        G("admin.directory.domain", "grants adding and removing domains of the Google Workspace account", "admin.directory.domain.readonly"),
        G("tasks", "grants creating, changing and deleting all of the user's tasks", ScopeBreadth.ReadWrite, "tasks.readonly"),

        // Microsoft Graph (compared ignoring case, with or without the https://graph.microsoft.com/ prefix).
        Row(Microsoft, "Directory.ReadWrite.All", ScopeBreadth.Broad, true, "grants read and write access to the whole directory (users, groups, applications, devices)",
            "Directory.Read.All", "User.Read.All", "Group.Read.All"),
        Row(Microsoft, "Directory.AccessAsUser.All", ScopeBreadth.Broad, true, "grants everything the signed-in user can do in the directory, including administration",
            "User.Read.All", "Directory.Read.All"),
        Row(Microsoft, "Files.ReadWrite.All", ScopeBreadth.Broad, true, "grants read and write access to every file the user can reach, not only their own",
            "Files.Read", "Files.ReadWrite.AppFolder", "Files.ReadWrite"),
        Row(Microsoft, "Sites.FullControl.All", ScopeBreadth.Broad, true, "grants full control of every SharePoint site collection",
            "Sites.Selected", "Sites.Read.All"),
        Row(Microsoft, "Sites.Manage.All", ScopeBreadth.Broad, true, "grants creating, editing and deleting lists and libraries in every SharePoint site",
            "Sites.Selected", "Sites.ReadWrite.All"),
        Row(Microsoft, "User.ReadWrite.All", ScopeBreadth.Broad, true, "grants read and write access to every user's full profile in the organization",
            "User.Read.All", "User.ReadWrite"),
        Row(Microsoft, "Group.ReadWrite.All", ScopeBreadth.Broad, true, "grants creating, changing and deleting every group and its content",
            "Group.Read.All", "GroupMember.Read.All"),
        Row(Microsoft, "Application.ReadWrite.All", ScopeBreadth.Broad, true, "grants creating and changing every application registration and its credentials",
            "Application.ReadWrite.OwnedBy", "Application.Read.All"),
        Row(Microsoft, "RoleManagement.ReadWrite.Directory", ScopeBreadth.Broad, true, "grants assigning any directory role, including Global Administrator",
            "RoleManagement.Read.Directory"),
        Row(Microsoft, "Mail.ReadWrite", ScopeBreadth.ReadWrite, true, "grants creating, changing and deleting the user's mail", "Mail.Read"),
        Row(Microsoft, "Calendars.ReadWrite", ScopeBreadth.ReadWrite, true, "grants creating, changing and deleting the user's events", "Calendars.Read"),
        Row(Microsoft, "Contacts.ReadWrite", ScopeBreadth.ReadWrite, true, "grants creating, changing and deleting the user's contacts", "Contacts.Read"),
        Row(Microsoft, "Files.ReadWrite", ScopeBreadth.ReadWrite, true, "grants changing and deleting all of the user's files", "Files.Read", "Files.ReadWrite.AppFolder"),
        Row(Microsoft, "Notes.ReadWrite", ScopeBreadth.ReadWrite, true, "grants changing and deleting the user's OneNote notebooks", "Notes.Read"),
        Row(Microsoft, "Tasks.ReadWrite", ScopeBreadth.ReadWrite, true, "grants changing and deleting the user's tasks", "Tasks.Read"),
        Row(Microsoft, "Policy.ReadWrite.ConditionalAccess", ScopeBreadth.Broad, true, "grants creating, changing and deleting the tenant's Conditional Access policies, which guard every sign-in",
            "Policy.Read.All"),
        Row(Microsoft, "EWS.AccessAsUser.All", ScopeBreadth.Broad, true, "grants everything the user can do in every mailbox they can reach through Exchange Web Services",
            "Mail.Read", "Mail.ReadWrite"),
        Row(Microsoft, "full_access_as_app", ScopeBreadth.Broad, true, "grants the app full access to every mailbox of the organization through Exchange Web Services",
            "Mail.Read"),
        Row(Microsoft, "Mail.ReadWrite.Shared", ScopeBreadth.ReadWrite, true, "grants creating, changing and deleting mail in every mailbox shared with the user", "Mail.Read.Shared"),
        Row(Microsoft, "Calendars.ReadWrite.Shared", ScopeBreadth.ReadWrite, true, "grants creating, changing and deleting events in every calendar shared with the user", "Calendars.Read.Shared"),
        Family(Microsoft, string.Empty, ".ReadWrite.All", ScopeBreadth.Broad, "grants read and write access to that resource for the whole organization", "{0}.Read.All"),
        new BroadScope(Microsoft, ".default", null, ScopeBreadth.Broad, true,
            "asks for every permission the app registration was ever granted, not the ones this request needs",
            ImmutableArray<string>.Empty, DelegatedOnly: true),

        // GitHub OAuth app scopes (compared exactly; GitHub Apps' fine-grained permissions are narrower still).
        Row(GitHub, "repo", ScopeBreadth.Broad, false, "grants read and write access to the code, settings and webhooks of every public and private repository of the user and their organizations",
            "public_repo", "repo:status"),
        Row(GitHub, "delete_repo", ScopeBreadth.Broad, true, "grants deleting any repository the user administers"),
        Row(GitHub, "admin:org_hook", ScopeBreadth.Broad, true, "grants creating, changing and deleting the organization's webhooks"),
        Family(GitHub, "admin:", string.Empty, ScopeBreadth.Broad, "grants full administration of that resource", "read:{0}"),
        Row(GitHub, "delete:packages", ScopeBreadth.Broad, true, "grants deleting packages from GitHub Packages", "read:packages"),
        Row(GitHub, "write:packages", ScopeBreadth.ReadWrite, true, "grants publishing packages to GitHub Packages", "read:packages"),
        Row(GitHub, "user", ScopeBreadth.Broad, false, "grants changing the user's profile data", "read:user", "user:email"),
        Row(GitHub, "workflow", ScopeBreadth.Broad, false, "grants changing GitHub Actions workflow files, which run with the repository's secrets"),
        Row(GitHub, "site_admin", ScopeBreadth.Broad, true, "grants the GitHub Enterprise Server site administration API"),
        Row(GitHub, "write:org", ScopeBreadth.ReadWrite, true, "grants changing organization membership and projects", "read:org"),
        Row(GitHub, "write:discussion", ScopeBreadth.ReadWrite, true, "grants creating, changing and deleting team discussions", "read:discussion"),
        Row(GitHub, "project", ScopeBreadth.ReadWrite, false, "grants changing the user's and organization's projects", "read:project"),

        // Slack: admin.* scopes reach across a whole Enterprise Grid organization, not one workspace.
        Row(Slack, "admin.conversations:read", ScopeBreadth.Broad, true, "grants reading every channel of the whole Enterprise Grid organization through the admin API", "channels:read"),
        Row(Slack, "admin.conversations:write", ScopeBreadth.Broad, true, "grants creating, changing and archiving every channel of the whole Enterprise Grid organization", "channels:manage"),
        Row(Slack, "admin.users:read", ScopeBreadth.Broad, true, "grants reading every account of the whole Enterprise Grid organization", "users:read"),
        Row(Slack, "admin.usergroups:read", ScopeBreadth.Broad, true, "grants reading every user group of the whole Enterprise Grid organization", "usergroups:read"),
        Family(Slack, "admin.", string.Empty, ScopeBreadth.Broad, distinctive: false, "is an org-wide admin API scope that reaches every workspace of the Enterprise Grid organization"),
        Row(Slack, "admin", ScopeBreadth.Broad, false, "grants the legacy workspace administration scope"),
        Row(Slack, "client", ScopeBreadth.Broad, false, "grants the legacy full-access client scope", "channels:read", "chat:write"),
        Row(Slack, "chat:write.customize", ScopeBreadth.Broad, true, "lets the app post under any name and avatar, so its messages can pass as a person's", "chat:write"),

        // Salesforce.
        Row(Salesforce, "full", ScopeBreadth.Broad, false, "grants all data the user can reach and every other scope", "api"),
        Row(Salesforce, "web", ScopeBreadth.Broad, false, "lets the token open web sessions (the Salesforce UI and Visualforce pages) as the user", "api"),

        // Atlassian (classic scopes).
        Row(Atlassian, "manage:jira-configuration", ScopeBreadth.Broad, true, "grants changing Jira's global settings (workflows, fields, permission schemes)", "read:jira-work"),
        Row(Atlassian, "manage:jira-project", ScopeBreadth.Broad, true, "grants creating, changing and deleting Jira projects and their settings", "read:jira-work"),
        Row(Atlassian, "manage:confluence-configuration", ScopeBreadth.Broad, true, "grants changing Confluence's global settings", "read:confluence-content.all"),
        Row(Atlassian, "write:jira-work", ScopeBreadth.ReadWrite, true, "grants creating, changing and deleting Jira issues, comments and worklogs", "read:jira-work"),
        Row(Atlassian, "write:confluence-space", ScopeBreadth.ReadWrite, true, "grants creating and changing Confluence spaces and their settings", "read:confluence-space.summary"),
        Row(Atlassian, "write:confluence-content", ScopeBreadth.ReadWrite, true, "grants creating, changing and deleting Confluence pages and comments", "read:confluence-content.all"),

        // Okta management API: okta.<resource>.manage next to okta.<resource>.read.
        Family(Okta, "okta.", ".manage", ScopeBreadth.Broad, "grants managing that resource for the whole Okta organization", "okta.{0}.read"),

        // Every vendor: wildcards and "everything" words.
        Row(AnyVendor, "*", ScopeBreadth.Broad, true, "is a wildcard that asks for every scope"),
        Row(AnyVendor, "*.*", ScopeBreadth.Broad, true, "is a wildcard that asks for every scope"),
        Row(AnyVendor, "*.all", ScopeBreadth.Broad, true, "is a wildcard that asks for every scope"),
        Row(AnyVendor, "all", ScopeBreadth.Broad, true, "asks for every permission"),
        Row(AnyVendor, "admin", ScopeBreadth.Broad, true, "asks for administrative access"),
        Row(AnyVendor, "root", ScopeBreadth.Broad, true, "asks for administrative access"),
        Row(AnyVendor, "superuser", ScopeBreadth.Broad, true, "asks for administrative access"),
        Row(AnyVendor, "full_access", ScopeBreadth.Broad, true, "asks for every permission"));

    /// <summary>The vendors that have rows of their own (<c>*</c> excluded).</summary>
    public static ImmutableArray<string> Vendors { get; } = ImmutableArray.Create(Google, Microsoft, GitHub, Slack, Salesforce, Atlassian, Okta);

    // Rows for every vendor (wildcards), compared ignoring case. Declared before the indexes that fill it.
    private static readonly Dictionary<string, BroadScope> Generic = new(StringComparer.OrdinalIgnoreCase);

    // Exact rows: vendor → scope → row. Microsoft compares ignoring case (Entra permission names do), others exactly.
    private static readonly Dictionary<string, Dictionary<string, BroadScope>> ExactByVendor = IndexExact();

    // Distinctive exact rows of every vendor, for scopes whose vendor is unknown.
    private static readonly Dictionary<string, BroadScope> DistinctiveExact = IndexDistinctive();

    private static readonly ImmutableArray<BroadScope> Families = IndexFamilies();

    /// <summary>
    /// The catalog row for <paramref name="scope"/> requested from <paramref name="vendor"/> (a manifest vendor
    /// name, or <see langword="null"/> when unknown) in <paramref name="context"/>, or <see langword="null"/>
    /// when the scope is not known to be broad.
    /// </summary>
    public static ScopeFinding? Find(string scope, string? vendor, RequestContext context)
    {
        if (scope.Length == 0)
        {
            return null;
        }

        if (vendor is null || !ExactByVendor.ContainsKey(vendor))
        {
            vendor = InferVendor(scope);
        }

        var finding = vendor is null ? FindDistinctive(scope) : FindForVendor(scope, vendor);
        if (finding is null && Generic.TryGetValue(scope, out var generic))
        {
            finding = new ScopeFinding(generic, generic.Alternatives);
        }

        if (finding is null && IsTrailingWildcard(scope))
        {
            finding = new ScopeFinding(Generic["*"], ImmutableArray<string>.Empty);
        }

        if (finding is { Entry.DelegatedOnly: true } && context != RequestContext.Delegated)
        {
            return null;
        }

        return finding;
    }

    /// <summary>The vendor a scope's spelling names (googleapis URLs, Graph permission names, …), or <see langword="null"/>.</summary>
    public static string? InferVendor(string scope)
    {
        if (scope.StartsWith(GoogleAuth, StringComparison.Ordinal) || scope.StartsWith("https://mail.google.com/", StringComparison.Ordinal))
        {
            return Google;
        }

        if (scope.StartsWith(GraphResource, StringComparison.OrdinalIgnoreCase) || IsGraphPermissionName(scope)
            || scope.Equals(".default", StringComparison.Ordinal) || scope.EndsWith("/.default", StringComparison.Ordinal))
        {
            return Microsoft;
        }

        return null;
    }

    private static ScopeFinding? FindForVendor(string scope, string vendor)
    {
        var name = scope;
        var prefix = string.Empty;
        if (vendor == Microsoft)
        {
            // "https://graph.microsoft.com/Files.ReadWrite.All" and "api://app/.default": the resource is kept in the alternatives.
            var slash = scope.LastIndexOf('/');
            if (slash >= 0)
            {
                prefix = scope.Substring(0, slash + 1);
                name = scope.Substring(slash + 1);
                if (name == ".default")
                {
                    return Make(DotDefault, string.Empty);
                }

                if (Array.FindIndex(MicrosoftResources, resource => prefix.Equals(resource, StringComparison.OrdinalIgnoreCase)) < 0)
                {
                    return null;
                }
            }
        }

        if (ExactByVendor.TryGetValue(vendor, out var rows) && rows.TryGetValue(name, out var row))
        {
            return Make(row, prefix);
        }

        foreach (var family in Families)
        {
            if (family.Vendor == vendor && MatchesFamily(family, name, out var stem))
            {
                return Make(family, prefix, stem);
            }
        }

        return null;
    }

    private static ScopeFinding? FindDistinctive(string scope)
    {
        if (DistinctiveExact.TryGetValue(scope, out var row))
        {
            return Make(row, string.Empty);
        }

        foreach (var family in Families)
        {
            if (family.Distinctive && family.Vendor != Microsoft && MatchesFamily(family, scope, out var stem))
            {
                return Make(family, string.Empty, stem);
            }
        }

        return null;
    }

    private static BroadScope DotDefault { get; } = FindRow(Microsoft, ".default");

    private static ScopeFinding Make(BroadScope row, string prefix, string? stem = null)
    {
        if (row.Alternatives.IsEmpty || (prefix.Length == 0 && stem is null))
        {
            return new ScopeFinding(row, row.Alternatives);
        }

        var alternatives = ImmutableArray.CreateBuilder<string>(row.Alternatives.Length);
        foreach (var alternative in row.Alternatives)
        {
            alternatives.Add(prefix + (stem is null ? alternative : alternative.Replace("{0}", stem)));
        }

        return new ScopeFinding(row, alternatives.MoveToImmutable());
    }

    private static bool MatchesFamily(BroadScope family, string scope, out string stem)
    {
        var suffix = family.Suffix ?? string.Empty;
        var comparison = family.Vendor == Microsoft ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (scope.Length > family.Prefix.Length + suffix.Length
            && scope.StartsWith(family.Prefix, comparison)
            && scope.EndsWith(suffix, comparison))
        {
            stem = scope.Substring(family.Prefix.Length, scope.Length - family.Prefix.Length - suffix.Length);
            return true;
        }

        stem = string.Empty;
        return false;
    }

    /// <summary><c>crm.*</c>, <c>api:*</c>, <c>files/*</c>: a last segment that is a wildcard.</summary>
    private static bool IsTrailingWildcard(string scope) =>
        scope.Length > 2 && scope[scope.Length - 1] == '*' && scope[scope.Length - 2] is '.' or ':' or '/';

    /// <summary>Graph's <c>Resource.Operation[.Constraint]</c>: two or more dot-separated segments, each a capitalized word.</summary>
    private static bool IsGraphPermissionName(string scope)
    {
        var segments = 0;
        var atSegmentStart = true;
        foreach (var c in scope)
        {
            if (c == '.')
            {
                if (atSegmentStart)
                {
                    return false;
                }

                atSegmentStart = true;
            }
            else if (atSegmentStart)
            {
                if (c is < 'A' or > 'Z')
                {
                    return false;
                }

                segments++;
                atSegmentStart = false;
            }
            else if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z')))
            {
                return false;
            }
        }

        return segments >= 2 && !atSegmentStart;
    }

    private static Dictionary<string, Dictionary<string, BroadScope>> IndexExact()
    {
        var index = new Dictionary<string, Dictionary<string, BroadScope>>(StringComparer.Ordinal);
        foreach (var vendor in Vendors)
        {
            index[vendor] = new Dictionary<string, BroadScope>(vendor == Microsoft ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        }

        foreach (var row in All)
        {
            if (row.IsFamily)
            {
                continue;
            }

            if (row.Vendor == AnyVendor)
            {
                Generic[row.Prefix] = row;
            }
            else
            {
                index[row.Vendor][row.Prefix] = row;
            }
        }

        return index;
    }

    private static Dictionary<string, BroadScope> IndexDistinctive()
    {
        var index = new Dictionary<string, BroadScope>(StringComparer.Ordinal);
        foreach (var row in All)
        {
            if (!row.IsFamily && row.Distinctive && row.Vendor != AnyVendor && row.Vendor != Microsoft)
            {
                index[row.Prefix] = row;
            }
        }

        return index;
    }

    private static ImmutableArray<BroadScope> IndexFamilies()
    {
        var families = ImmutableArray.CreateBuilder<BroadScope>();
        foreach (var row in All)
        {
            if (row.IsFamily)
            {
                families.Add(row);
            }
        }

        return families.ToImmutable();
    }

    private static BroadScope FindRow(string vendor, string prefix)
    {
        foreach (var row in All)
        {
            if (row.Vendor == vendor && row.Prefix == prefix)
            {
                return row;
            }
        }

        throw new InvalidOperationException("Missing catalog row " + vendor + " " + prefix);
    }

    private static BroadScope G(string scope, string reason, params string[] alternatives) =>
        G(scope, reason, ScopeBreadth.Broad, alternatives);

    private static BroadScope G(string scope, string reason, ScopeBreadth breadth, params string[] alternatives)
    {
        var full = new string[alternatives.Length];
        for (var i = 0; i < alternatives.Length; i++)
        {
            full[i] = GoogleAuth + alternatives[i];
        }

        return Row(Google, GoogleAuth + scope, breadth, true, reason, full);
    }

    private static BroadScope Row(string vendor, string scope, ScopeBreadth breadth, bool distinctive, string reason, params string[] alternatives) =>
        new(vendor, scope, null, breadth, distinctive, reason, ImmutableArray.Create(alternatives));

    private static BroadScope Family(string vendor, string prefix, string suffix, ScopeBreadth breadth, string reason, params string[] alternatives) =>
        Family(vendor, prefix, suffix, breadth, distinctive: true, reason, alternatives);

    private static BroadScope Family(string vendor, string prefix, string suffix, ScopeBreadth breadth, bool distinctive, string reason, params string[] alternatives) =>
        new(vendor, prefix, suffix, breadth, distinctive, reason, ImmutableArray.Create(alternatives));
}
