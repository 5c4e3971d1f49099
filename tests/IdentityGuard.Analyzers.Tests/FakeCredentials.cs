using System.Collections.Generic;
using static IdentityGuard.Analyzers.Tests.Fake;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// One format-valid fake credential per catalog format, built at run time (see <see cref="Fake"/>).
/// Formats recognised only through the bound name (<c>Paired</c>) carry the name to bind them to.
/// </summary>
internal static class FakeCredentials
{
    public static readonly IReadOnlyDictionary<string, string> InValue = new Dictionary<string, string>
    {
        ["aws-access-key-id"] = Join("AK", "IA", Random(Base32Upper, 16, 1)),
        ["aws-secret-access-key"] = Join("aws_secret_", "access_key = ", Random(Base64, 40, 2)),
        ["azure-storage-account-key"] = Join("DefaultEndpointsProtocol=https;AccountName=crmstore;Account", "Key=", Random(Base64, 86, 3), "==;EndpointSuffix=core.windows.net"),
        ["azure-shared-access-key"] = Join("Endpoint=sb://crm.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccess", "Key=", Random(Base64, 43, 4), "="),
        ["azure-sas-signature"] = Join("https://crmstore.blob.core.windows.net/briefs/a.pdf?sv=2022-11-02&sp=r&se=2030-01-01T00:00:00Z&si", "g=", Random(Base64, 43, 5), "%3D"),
        ["entra-client-secret"] = Join(Random(Base62, 3, 6), "8", "Q~", Random(Base62 + "_~.-", 34, 7)),
        ["google-api-key"] = Join("AI", "za", Random(Base64Url, 35, 8)),
        ["google-oauth-client-secret"] = Join("GOCSPX", "-", Random(Base64Url, 28, 9)),
        ["google-oauth-access-token"] = Join("ya29", ".", Random(Base64Url, 120, 10)),
        ["private-key"] = Join("-----BEGIN PRIVATE", " KEY-----\n", Random(Base64, 64, 11), "\n", Random(Base64, 64, 12), "\n-----END PRIVATE", " KEY-----\n"),
        ["digitalocean-token"] = Join("dop_", "v1_", Random(HexLower, 64, 13)),
        ["databricks-token"] = Join("da", "pi", Random(HexLower, 32, 14)),
        ["hashicorp-vault-token"] = Join("hv", "s.", Random(Base64Url, 91, 15)),
        ["github-classic-token"] = GitHubToken("ghp_", 16),
        ["github-fine-grained-token"] = Join("github_", "pat_", Random(Base62, 22, 17), "_", Random(Base62, 59, 18)),
        ["gitlab-token"] = Join("gl", "pat-", Random(Base64Url, 20, 19)),
        ["npm-token"] = Join("np", "m_", Random(Base62, 36, 20)),
        ["nuget-api-key"] = Join("oy", "2", Random(Lower + Digits, 43, 21)),
        ["pypi-token"] = Join("pypi-AgEIcHlw", "aS5vcmc", Random(Base64Url, 70, 22)),
        ["atlassian-api-token"] = Join("ATA", "TT3", Random(Base64Url + "=", 186, 23)),
        ["postman-api-key"] = Join("PM", "AK-", Random(HexLower, 24, 24), "-", Random(HexLower, 34, 25)),
        ["doppler-token"] = Join("dp.", "pt.", Random(Base62, 43, 26)),
        ["linear-api-key"] = Join("lin_", "api_", Random(Base62, 40, 27)),
        ["slack-bot-token"] = Join("xo", "xb-", Random(Digits, 12, 28), "-", Random(Digits, 13, 29), "-", Random(Base62, 24, 30)),
        ["slack-user-token"] = Join("xo", "xp-", Random(Digits, 12, 31), "-", Random(Digits, 12, 32), "-", Random(Digits, 13, 33), "-", Random(HexLower, 32, 34)),
        ["slack-app-token"] = Join("xa", "pp-1-", Random(Upper + Digits, 11, 35), "-", Random(Digits, 13, 36), "-", Random(HexLower, 64, 37)),
        ["slack-webhook-url"] = Join("https://hooks.", "slack.com/services/T", Random(Upper + Digits, 10, 38), "/B", Random(Upper + Digits, 10, 39), "/", Random(Base62, 24, 40)),
        ["discord-bot-token"] = Join(Base64UrlOf(Join("1", Random(Digits, 17, 41))), ".", Random(Base64Url, 6, 42), ".", Random(Base64Url, 38, 43)),
        ["telegram-bot-token"] = Join(Random("123456789", 10, 44), ":", "AA", Random(Base64Url, 33, 45)),
        ["twilio-api-key"] = Join("S", "K", Random(HexLower, 32, 46)),
        ["twilio-account-credentials"] = Join("A", "C", Random(HexLower, 32, 47), ":", Random(HexLower, 32, 48)),
        ["sendgrid-api-key"] = Join("S", "G.", Random(Base64Url, 22, 49), ".", Random(Base64Url, 43, 50)),
        ["mailgun-api-key"] = Join("ke", "y-", Random(HexLower, 32, 51)),
        ["mailchimp-api-key"] = Join(Random(HexLower, 32, 52), "-", "us14"),
        ["stripe-secret-key"] = Join("sk_", "live_", Random(Base62, 24, 53)),
        ["stripe-webhook-secret"] = Join("wh", "sec_", Random(Base62, 32, 54)),
        ["shopify-token"] = Join("shp", "at_", Random(HexLower, 32, 55)),
        ["square-access-token"] = Join("EA", "AA", Random(Base64Url, 60, 56)),
        ["square-oauth-secret"] = Join("sq0", "csp-", Random(Base64Url, 43, 57)),
        ["openai-project-key"] = Join("sk-", "proj-", Random(Base64Url, 156, 58)),
        ["openai-api-key"] = Join("sk-", Random(Base62, 20, 59), "T3Blbk", "FJ", Random(Base62, 20, 60)),
        ["anthropic-api-key"] = Join("sk-", "ant-api03-", Random(Base64Url, 93, 61), "AA"),
        ["huggingface-token"] = Join("h", "f_", Random(Letters, 34, 62)),
        ["grafana-token"] = Join("gl", "sa_", Random(Base62, 32, 63), "_", Random(HexLower, 8, 64)),
        ["new-relic-user-key"] = Join("NR", "AK-", Random(Upper + Digits, 27, 65)),
        ["sentry-auth-token"] = Join("sntr", "yu_", Random(HexLower, 64, 66)),
        ["age-secret-key"] = Join("AGE-SECRET", "-KEY-1", Random("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58, 67)),
        ["jwt"] = Join(Base64UrlOf("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"), ".", Base64UrlOf("{\"sub\":\"4711\",\"scope\":\"crm.notes.read\"}"), ".", Random(Base64Url, 43, 68)),
        ["connection-string-password"] = Join("Server=crm-db.internal;Database=crm;User Id=agent;Pass", "word=", Random(Base62, 18, 69), ";"),
        ["url-query-credential"] = Join("https://api.weather.contoso.com/v1/forecast?city=Oslo&api", "_key=", Random(HexLower, 32, 75)),
        ["url-userinfo-password"] = Join("postgres://agent", ":", Random(Base62, 18, 70), "@crm-db.internal:5432/crm"),
    };

    /// <summary>Formats without a signature: (bound name, value).</summary>
    public static readonly IReadOnlyDictionary<string, (string Name, string Value)> Paired = new Dictionary<string, (string, string)>
    {
        ["aws-secret-access-key"] = ("awsSecretAccessKey", Random(Base64, 40, 71)),
        ["azure-storage-account-key"] = ("storageAccountKey", Join(Random(Base64, 86, 72), "==")),
        ["twilio-account-credentials"] = ("twilioAuthToken", Random(HexLower, 32, 73)),
        ["cohere-api-key"] = ("cohereApiKey", Random(Base62, 40, 74)),
    };

    /// <summary>
    /// Keys the vendors publish for their local emulators (not secrets; see <c>PublicEmulatorKeys</c>), typed here from
    /// the vendors' documentation independently of the analyzer's table, and assembled at run time like the fakes.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Published = new Dictionary<string, string>
    {
        ["azurite"] = Join("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq", "/K1SZFPTOtr/KBHBeksoGMGw=="),
        ["cosmos-emulator"] = Join("C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw", "/Jw=="),
    };
}
