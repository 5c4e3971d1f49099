namespace AnalyzerViolations;

/// <summary>Hardcoded secrets (IG0001, IG0002): values pasted in "just for the demo".</summary>
/// <remarks>
/// The values are fake: random characters in the vendors' formats, generated for this sample. Each one is split
/// across a constant concatenation so that no secret scanner (or `git grep` for a vendor prefix) finds it in this
/// repository, while the compiler folds the parts into one constant and IG0001 sees the whole value.
/// </remarks>
public sealed class CrmConnectionSettings
{
    // An AWS access key id for the notes archive bucket.
    public string ArchiveAccessKeyId { get; } = "AK" + "IAVQJXXVBOTHD2WTFL"; // expect: IG0001

    // A Stripe live secret key for billing lookups.
    public string BillingKey { get; } = "sk_" + "live_" + "HBMUAPTT0aZN0dnruqXa71P2"; // expect: IG0001

    // A SQL connection string with its password inline.
    public string Database { get; } = "Server=crm-db.internal;Database=crm;User Id=agent;Pass" + "word=Gqa6tcVy4DHkmLrDzq;"; // expect: IG0001

    // A client secret with no vendor format: caught by its name and its randomness.
    private const string CrmClientSecret = "tD8vkQXRYO1NiJ7b" + "rD03q2YBV097shZX"; // expect: IG0002

    // Near misses that must stay quiet: a client id, a tenant GUID, a configuration key and an environment variable name.
    public string ClientId { get; } = "crm-notes-agent";

    public string TenantId { get; } = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    public string ClientSecretKey { get; } = "IdentityGuard:Providers:Crm:ClientSecret";

    public string ClientSecretFromEnvironment { get; } = Environment.GetEnvironmentVariable("CRM_CLIENT_SECRET") ?? CrmClientSecret;
}
