using System.Threading.Tasks;
using Xunit;
using static IdentityGuard.Analyzers.Tests.Fake;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>IG0002: each way a literal can be bound to a name, and each reason it is not a secret.</summary>
public class SecretNamedLiteralTests
{
    private static readonly string Secret = CSharp(Random(Base62, 32, 200));

    /// <summary>
    /// Generated key material is not taken for words: a mixed-case base62 secret can hold enough common English
    /// bigrams by chance to pass the word test alone (about one value in fifty did), which silenced IG0002 on it.
    /// </summary>
    [Fact]
    public void Random_mixed_case_secrets_are_not_taken_for_words()
    {
        var taken = 0;
        for (var seed = 1; seed <= 2000; seed++)
        {
            if (IdentityGuard.Analyzers.Secrets.SecretHeuristics.LooksLikeWords(Random(Base62, 34, seed)))
            {
                taken++;
            }
        }

        Assert.True(taken <= 5, $"{taken} of 2000 random secrets looked like words");
        Assert.True(IdentityGuard.Analyzers.Secrets.SecretHeuristics.LooksLikeWords("WeatherServiceGateway"));
        Assert.True(IdentityGuard.Analyzers.Secrets.SecretHeuristics.LooksLikeWords("customer_notes_reader"));
    }

    [Fact]
    public Task Field() => Verify.AnalyzerAsync(
        $$"""
        class C
        {
            private string apiKey = {|#0:{{Secret}}|};
        }
        """,
        Verify.IG0002("apiKey").WithLocation(0));

    [Fact]
    public Task Const_field_in_screaming_snake_case() => Verify.AnalyzerAsync(
        $$"""
        class C
        {
            public const string CLIENT_SECRET = {|#0:{{Secret}}|};
        }
        """,
        Verify.IG0002("CLIENT_SECRET").WithLocation(0));

    [Fact]
    public Task Property_initializer_and_expression_body() => Verify.AnalyzerAsync(
        $$"""
        class C
        {
            public string ClientSecret { get; } = {|#0:{{Secret}}|};
            public string BearerToken => {|#1:{{Secret}}|};
            public string Password { get { return {|#2:{{Secret}}|}; } }
        }
        """,
        Verify.IG0002("ClientSecret").WithLocation(0),
        Verify.IG0002("BearerToken").WithLocation(1),
        Verify.IG0002("Password").WithLocation(2));

    [Fact]
    public Task Local_and_parameter_default() => Verify.AnalyzerAsync(
        $$"""
        class C
        {
            void M(string accessToken = {|#0:{{Secret}}|})
            {
                var db_password = {|#1:{{Secret}}|};
            }
        }
        """,
        Verify.IG0002("accessToken").WithLocation(0),
        Verify.IG0002("db_password").WithLocation(1));

    [Fact]
    public Task Named_and_positional_arguments() => Verify.AnalyzerAsync(
        $$"""
        class C
        {
            static void Connect(string host, string password) { }
            void M()
            {
                Connect(host: "crm", password: {|#0:{{Secret}}|});
                Connect("crm", {|#1:{{Secret}}|});
            }
        }
        """,
        Verify.IG0002("password").WithLocation(0),
        Verify.IG0002("password").WithLocation(1));

    [Fact]
    public Task Assignments_to_identifiers_members_and_configuration_keys() => Verify.AnalyzerAsync(
        $$"""
        using System.Collections.Generic;
        class Options { public string ApiKey { get; set; } = ""; }
        class C
        {
            string signingKey = "";
            void M(Options options, Dictionary<string, string> config)
            {
                signingKey = {|#0:{{Secret}}|};
                options.ApiKey = {|#1:{{Secret}}|};
                config["Crm:ClientSecret"] = {|#2:{{Secret}}|};
            }
        }
        """,
        Verify.IG0002("signingKey").WithLocation(0),
        Verify.IG0002("ApiKey").WithLocation(1),
        Verify.IG0002("Crm:ClientSecret").WithLocation(2));

    [Fact]
    public Task Object_collection_and_dictionary_initializers() => Verify.AnalyzerAsync(
        $$"""
        using System.Collections.Generic;
        class Options { public string ApiKey { get; set; } = ""; }
        class C
        {
            object a = new Options { ApiKey = {|#0:{{Secret}}|} };
            object b = new Dictionary<string, string> { ["Weather:ApiKey"] = {|#1:{{Secret}}|} };
            object c = new Dictionary<string, string> { { "AUTH_TOKEN", {|#2:{{Secret}}|} } };
        }
        """,
        Verify.IG0002("ApiKey").WithLocation(0),
        Verify.IG0002("Weather:ApiKey").WithLocation(1),
        Verify.IG0002("AUTH_TOKEN").WithLocation(2));

    [Fact]
    public Task Anonymous_object_member_tuple_and_key_value_calls() => Verify.AnalyzerAsync(
        $$"""
        using System;
        using System.Collections.Generic;
        class C
        {
            void M(Dictionary<string, string> settings)
            {
                var body = new { client_id = "agent", client_secret = {|#0:{{Secret}}|} };
                var pair = ("refresh-token", {|#1:{{Secret}}|});
                settings.Add("Stripe.ApiKey", {|#2:{{Secret}}|});
                Environment.SetEnvironmentVariable("GITHUB_TOKEN", {|#3:{{Secret}}|});
            }
        }
        """,
        Verify.IG0002("client_secret").WithLocation(0),
        Verify.IG0002("refresh-token").WithLocation(1),
        Verify.IG0002("Stripe.ApiKey").WithLocation(2),
        Verify.IG0002("GITHUB_TOKEN").WithLocation(3));

    [Fact]
    public Task Fallbacks_comparisons_and_attribute_arguments() => Verify.AnalyzerAsync(
        $$"""
        using System;
        class ConnectAttribute : Attribute { public string Token { get; set; } = ""; }
        class C
        {
            [Connect(Token = {|#0:{{Secret}}|})]
            void M(string password)
            {
                var apiKey = Environment.GetEnvironmentVariable("API_KEY") ?? {|#1:{{Secret}}|};
                if (password == {|#2:{{Secret}}|}) { }
            }
        }
        """,
        Verify.IG0002("Token").WithLocation(0),
        Verify.IG0002("apiKey").WithLocation(1),
        Verify.IG0002("password").WithLocation(2));

    public static TheoryData<string> NonSecretNames => new()
    {
        "description", "clientId", "ClientId", "publicKey", "tokenEndpoint", "csrfToken", "secretName", "authUrl",
        "apiKeyHeader", "passwordHash", "tokenType", "author", "AuthorityUri", "clientSecretPath", "apiKeyFormat",
        "fakeApiKey", "TestClientSecret", "dummyToken", "sampleSecret", "mockPassword", "PublishableKey", "nonce",
    };

    [Theory]
    [MemberData(nameof(NonSecretNames))]
    public Task Name_that_is_not_a_secret_is_not_reported(string name) => Verify.AnalyzerAsync(
        $$"""
        class C
        {
            string {{name}} = {{Secret}};
        }
        """);

    public static TheoryData<string, string> NonSecretValues => new()
    {
        { "template", "${CRM_CLIENT_SECRET}" },
        { "mustache", "{{crm_client_secret}}" },
        { "windows environment variable", "%CRM_CLIENT_SECRET%" },
        { "your-key-here", "your-api-key-goes-here-1234" },
        { "changeme", "changeme-changeme-2024" },
        { "repeated x", "xxxxxxxxxxxxxxxxxxxxxxxx" },
        { "all one character", "0000000000000000000000" },
        { "example", "Q9kexampleZ7vT3mW1pRr" },
        { "guid", "3f2504e0-4f89-41d3-9a0c-0305e82c3301" },
        { "english words", "correct-horse-battery-staple" },
        { "english run-on", "correcthorsebatterystaplemeeting" },
        { "environment variable name", "IDENTITYGUARD_CRM_CLIENT_SECRET" },
        { "configuration path", "IdentityGuard.Crm.ClientSecret" },
        { "url path", "/api/v1/tokens/refresh" },
        { "base64 of english text", System.Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("please rotate the shared secret every quarter")) },
        { "short", Random(Base62, 15, 201) },
        { "low entropy", "abababababababababababab" },
        { "counting sequence", "abcdefghijklmnopqrstu" },
        { "not the secret alphabet", "Zk8v Q2mW 9xR4 tL7p Hy3c" },
    };

    [Theory]
    [MemberData(nameof(NonSecretValues))]
    public Task Value_that_is_not_a_secret_is_not_reported(string description, string value)
    {
        Assert.NotNull(description);
        return Verify.AnalyzerAsync(
            $$"""
            class C
            {
                string clientSecret = {{CSharp(value)}};
            }
            """);
    }

    [Fact]
    public Task Hex_digest_under_a_digest_name_is_not_reported_but_under_a_secret_name_is() => Verify.AnalyzerAsync(
        $$"""
        class C
        {
            string tokenSha256 = {{CSharp(Random(HexLower, 64, 202))}};
            string hashedPassword = {{CSharp(Random(HexLower, 32, 203))}};
            string webhookSecret = {|#0:{{CSharp(Random(HexLower, 64, 204))}}|};
        }
        """,
        Verify.IG0002("webhookSecret").WithLocation(0));
}
