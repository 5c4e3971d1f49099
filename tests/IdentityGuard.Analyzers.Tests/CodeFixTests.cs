using System.Threading.Tasks;
using IdentityGuard.Analyzers.CodeFixes.Secrets;
using Xunit;
using static IdentityGuard.Analyzers.Tests.Fake;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>The fix reads the value from an environment variable and keeps the code compiling.</summary>
public class CodeFixTests
{
    private static readonly string Secret = CSharp(Random(Base62, 32, 500));
    private static readonly string Token = CSharp(FakeCredentials.InValue["stripe-secret-key"]);
    private static readonly string TokenTitle = KnownFormatCredentialTests.Title("stripe-secret-key");

    [Theory]
    [InlineData("crmClientSecret", "CRM_CLIENT_SECRET")]
    [InlineData("APIKey", "API_KEY")]
    [InlineData("_accessToken", "ACCESS_TOKEN")]
    [InlineData("DB_PASSWORD", "DB_PASSWORD")]
    public void Environment_variable_name_is_the_symbol_in_upper_snake_case(string symbol, string expected) =>
        Assert.Equal(expected, MoveSecretToEnvironmentCodeFix.ToEnvironmentVariableName(symbol));

    [Fact]
    public Task Field_initializer() => Verify.CodeFixAsync(
        $$"""
        using System;
        class C
        {
            private static readonly string ApiKey = {|#0:{{Secret}}|};
        }
        """,
        """
        using System;
        class C
        {
            private static readonly string ApiKey = Environment.GetEnvironmentVariable("API_KEY") ?? throw new InvalidOperationException("Set the API_KEY environment variable.");
        }
        """,
        Verify.IG0002("ApiKey").WithLocation(0));

    [Fact]
    public Task Const_field_becomes_static_readonly() => Verify.CodeFixAsync(
        $$"""
        using System;
        class C
        {
            public const string StripeKey = {|#0:{{Token}}|};
        }
        """,
        """
        using System;
        class C
        {
            public static readonly string StripeKey = Environment.GetEnvironmentVariable("STRIPE_KEY") ?? throw new InvalidOperationException("Set the STRIPE_KEY environment variable.");
        }
        """,
        Verify.IG0001(TokenTitle).WithLocation(0));

    [Fact]
    public Task Const_local_becomes_a_plain_local_and_names_are_qualified_without_using() => Verify.CodeFixAsync(
        $$"""
        class C
        {
            string M()
            {
                const string password = {|#0:{{Secret}}|};
                return password;
            }
        }
        """,
        """
        class C
        {
            string M()
            {
                string password = System.Environment.GetEnvironmentVariable("PASSWORD") ?? throw new System.InvalidOperationException("Set the PASSWORD environment variable.");
                return password;
            }
        }
        """,
        Verify.IG0002("password").WithLocation(0));

    [Fact]
    public Task Property_initializer_and_expression_body() => Verify.CodeFixAsync(
        $$"""
        using System;
        class C
        {
            public string ClientSecret { get; } = {|#0:{{Secret}}|};
            public string BearerToken => {|#1:{{Token}}|};
        }
        """,
        """
        using System;
        class C
        {
            public string ClientSecret { get; } = Environment.GetEnvironmentVariable("CLIENT_SECRET") ?? throw new InvalidOperationException("Set the CLIENT_SECRET environment variable.");
            public string BearerToken => Environment.GetEnvironmentVariable("BEARER_TOKEN") ?? throw new InvalidOperationException("Set the BEARER_TOKEN environment variable.");
        }
        """,
        Verify.IG0002("ClientSecret").WithLocation(0),
        Verify.IG0001(TokenTitle).WithLocation(1));

    [Fact]
    public Task No_fix_where_a_constant_is_required()
    {
        var source = $$"""
            class C
            {
                void M(string accessToken = {|#0:{{Secret}}|}) { }
            }
            """;
        return Verify.CodeFixAsync(source, source, Verify.IG0002("accessToken").WithLocation(0));
    }
}
