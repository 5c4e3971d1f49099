using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using IdentityGuard.Analyzers.Secrets;
using Xunit;
using static IdentityGuard.Analyzers.Tests.Fake;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>IG0001: every catalog format is found, and near misses are not.</summary>
public class KnownFormatCredentialTests
{
    public static TheoryData<string> FormatsWithSignature => new(FakeCredentials.InValue.Keys);

    public static TheoryData<string> FormatsPairedByName => new(FakeCredentials.Paired.Keys);

    [Fact]
    public void Catalog_has_at_least_forty_formats_each_with_a_positive_case()
    {
        var ids = KnownSecretFormats.All.Select(format => format.Id).ToList();
        Assert.True(ids.Count >= 40, $"only {ids.Count} formats");
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var covered = FakeCredentials.InValue.Keys.Concat(FakeCredentials.Paired.Keys).ToHashSet();
        Assert.All(ids, id => Assert.Contains(id, covered));
    }

    [Fact]
    public void GitHub_checksum_matches_the_published_worked_example()
    {
        // The worked example from the public write-up of GitHub's token format: the last six
        // characters are base62(CRC32(the 30 random characters)).
        var random = Join("zQWBuTSOoRi4A9spHc", "VY5ncnsDkxkJ");
        Assert.Equal(Join("0mLq", "17"), FormatChecks.EncodeBase62(Crc32.Compute(random, 0, random.Length), 6));
    }

    [Theory]
    [MemberData(nameof(FormatsWithSignature))]
    public Task Format_is_reported_in_a_string_literal(string formatId)
    {
        var source = $$"""
            class C
            {
                string value = {|#0:{{CSharp(FakeCredentials.InValue[formatId])}}|};
            }
            """;
        return Verify.AnalyzerAsync(source, Verify.IG0001(Title(formatId)).WithLocation(0));
    }

    [Theory]
    [MemberData(nameof(FormatsPairedByName))]
    public Task Format_without_signature_is_reported_when_the_name_pairs_it(string formatId)
    {
        var (name, value) = FakeCredentials.Paired[formatId];
        var source = $$"""
            class C
            {
                string {{name}} = {|#0:{{CSharp(value)}}|};
                string unrelated = {{CSharp(value)}};
            }
            """;
        return Verify.AnalyzerAsync(source, Verify.IG0001(Title(formatId)).WithLocation(0));
    }

    public static TheoryData<string, string> NearMisses => new()
    {
        { "aws key id one character short", Join("AK", "IA", Random(Base32Upper, 15, 100)) },
        { "aws documentation example", Join("AKIA", "IOSFODNN7", "EXAMPLE") },
        { "aws key id with lower case", Join("AK", "IA", Random(Lower, 16, 101)) },
        { "github token with a wrong checksum", Join("gh", "p_", Random(Base62, 30, 102), "AAAAAB") },
        { "github token too short", Join("gh", "p_", Random(Base62, 35, 103)) },
        { "google api key one short", Join("AI", "za", Random(Base64Url, 34, 104)) },
        { "stripe test key", Join("sk_", "test_", Random(Base62, 24, 105)) },
        { "stripe publishable key", Join("pk_", "live_", Random(Base62, 24, 106)) },
        { "slack token prefix in prose", Join("xo", "xb-", "not-a-token-at-all-here") },
        { "pem header used by parsing code", Join("-----BEGIN PRIVATE", " KEY-----") },
        { "pem public key", Join("-----BEGIN PUBLIC", " KEY-----\n", Random(Base64, 64, 107), "\n", Random(Base64, 64, 108), "\n-----END PUBLIC KEY-----") },
        { "jwt-shaped but header has no alg", Join(Base64UrlOf("{\"typ\":\"JWT\",\"notalg\":1}"), ".", Base64UrlOf("{\"sub\":\"1\"}"), ".", Random(Base64Url, 43, 109)) },
        { "jwt-shaped but header is not json", Join("eyJ", Random(Base64Url, 20, 110), ".", Random(Base64Url, 20, 111), ".", Random(Base64Url, 43, 112)) },
        { "connection string with empty password", "Server=db;Database=crm;User Id=sa;Password=;" },
        { "connection string with format item", "Server=db;Database=crm;User Id=sa;Password={0};" },
        { "connection string with variable", "Server=db;Database=crm;User Id=sa;Password=${DB_PASSWORD};" },
        { "connection string with placeholder", "Server=db;Database=crm;User Id=sa;Password=<password>;" },
        { "connection string with masked password", "Server=db;Database=crm;User Id=sa;Password=********;" },
        { "connection string with integrated security", "Server=db;Database=crm;Integrated Security=true;" },
        { "password= in prose", "Set Password=Hunter2Hunter2 in the settings dialog" },
        { "url userinfo on a documentation host", "https://agent:Zk8vQ2mW9xR4tL7p@db.example.com/crm" },
        { "url userinfo placeholder password", "https://agent:password@crm-db.internal/crm" },
        { "url userinfo variable password", "https://agent:${DB_PASSWORD}@crm-db.internal/crm" },
        { "docs url", "https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow" },
        { "guid", "3f2504e0-4f89-41d3-9a0c-0305e82c3301" },
        { "uuid without dashes", "3f2504e04f8941d39a0c0305e82c3301" },
        { "sha-256 hex digest", Random(HexLower, 64, 113) },
        { "base64 of english text", System.Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("the quick brown fox jumps over the lazy dog")) },
        { "twilio sid one short", Join("S", "K", Random(HexLower, 31, 114)) },
        { "telegram token too short", Join("123456789", ":", "AA", Random(Base64Url, 20, 115)) },
        { "discord-shaped without numeric id", Join("MT", Random(Letters, 22, 116), ".", Random(Base64Url, 6, 117), ".", Random(Base64Url, 38, 118)) },
        { "sas signature without a sas version", Join("https://cdn.contoso.net/a.png?si", "g=", Random(Base64, 43, 119)) },
        { "entra secret too short", Join("abc", "8", "Q~", Random(Base62, 20, 120)) },
        { "hugging face token one short", Join("h", "f_", Random(Letters, 33, 121)) },
        { "slack webhook documentation example", Join("https://hooks.", "slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX") },
        { "openai key without its marker", Join("sk-", Random(Base62, 48, 122)) },
    };

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Near_miss_is_not_reported(string description, string value)
    {
        Assert.NotNull(description);
        var source = $$"""
            class C
            {
                string value = {{CSharp(value)}};
            }
            """;
        return Verify.AnalyzerAsync(source);
    }

    [Fact]
    public Task Name_paired_format_is_not_inferred_from_an_unrelated_name()
    {
        var (_, value) = FakeCredentials.Paired["cohere-api-key"];
        var source = $$"""
            class C
            {
                string correlation = {{CSharp(value)}};
            }
            """;
        return Verify.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Messages_name_the_format_and_never_contain_the_value()
    {
        // Diagnostics land in build logs and SARIF files: they must not become a second leak.
        var values = FakeCredentials.InValue.Values.ToList();
        var source = "class C\n{\n" + string.Concat(values.Select((value, i) => $"    string v{i} = {CSharp(value)};\n")) + "}\n";
        var diagnostics = await AnalyzerRunner.RunAsync(source);
        Assert.Equal(values.Count, diagnostics.Length);
        foreach (var diagnostic in diagnostics)
        {
            var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            Assert.All(values, value => Assert.DoesNotContain(value, message, System.StringComparison.Ordinal));
        }
    }

    internal static string Title(string formatId) => KnownSecretFormats.All.Single(format => format.Id == formatId).Title;
}
