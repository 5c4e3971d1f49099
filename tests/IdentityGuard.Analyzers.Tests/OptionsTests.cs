using System.Threading.Tasks;
using Xunit;
using static IdentityGuard.Analyzers.Tests.Fake;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>IG0002 settings read from .editorconfig and .globalconfig.</summary>
public class OptionsTests
{
    private static readonly string Secret = CSharp(Random(Base62, 32, 400));

    [Fact]
    public Task Additional_keywords_extend_the_secret_names() => Verify.AnalyzerAsync(
        $$"""
        class C
        {
            string sessionKey = {|#0:{{Secret}}|};
            string licence_blob = {|#1:{{Secret}}|};
            string cacheKey = {{Secret}};
        }
        """,
        null,
        "root = true\n[*.cs]\nidentityguard.IG0002.additional_keywords = sessionKey, LICENCE-BLOB\n",
        Verify.IG0002("sessionKey").WithLocation(0),
        Verify.IG0002("licence_blob").WithLocation(1));

    [Fact]
    public Task Without_options_the_extra_keywords_are_not_secret_names() => Verify.AnalyzerAsync(
        $$"""
        class C
        {
            string sessionKey = {{Secret}};
        }
        """);

    [Fact]
    public Task Min_entropy_raises_the_randomness_bar() => Verify.AnalyzerAsync(
        $$"""
        class C
        {
            string apiKey = {{Secret}};
        }
        """,
        null,
        "root = true\n[*.cs]\nidentityguard.IG0002.min_entropy = 5.5\n");

    [Fact]
    public Task Invalid_min_entropy_falls_back_to_the_default() => Verify.AnalyzerAsync(
        $$"""
        class C
        {
            string apiKey = {|#0:{{Secret}}|};
        }
        """,
        null,
        "root = true\n[*.cs]\nidentityguard.IG0002.min_entropy = lots\n",
        Verify.IG0002("apiKey").WithLocation(0));

    [Fact]
    public Task Excluded_names_accept_exact_names_and_wildcards() => Verify.AnalyzerAsync(
        $$"""
        class C
        {
            string legacyApiKey = {{Secret}};
            string ClientSecretForFixtureServer = {{Secret}};
            string apiKey = {|#0:{{Secret}}|};
        }
        """,
        null,
        "root = true\n[*.cs]\nidentityguard.IG0002.excluded_names = legacy_api_key, *fixtureserver*\n",
        Verify.IG0002("apiKey").WithLocation(0));

    [Fact]
    public Task Global_config_is_honoured() => Verify.GlobalConfigAsync(
        $$"""
        class C
        {
            string apiKey = {{Secret}};
        }
        """,
        "is_global = true\nidentityguard.IG0002.excluded_names = apiKey\n");

    [Fact]
    public Task Options_do_not_weaken_known_format_detection() => Verify.AnalyzerAsync(
        $$"""
        class C
        {
            string apiKey = {|#0:{{CSharp(FakeCredentials.InValue["stripe-secret-key"])}}|};
        }
        """,
        null,
        "root = true\n[*.cs]\nidentityguard.IG0002.excluded_names = apiKey\nidentityguard.IG0002.min_entropy = 8\n",
        Verify.IG0001(KnownFormatCredentialTests.Title("stripe-secret-key")).WithLocation(0));
}
