using System.Threading.Tasks;
using Xunit;
using Verifier = IdentityGuard.Analyzers.Tests.RuleVerifier<IdentityGuard.Analyzers.Validation.WeakTokenValidationAnalyzer>;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>IG0400: checks turned off with a constant, and validators that accept without looking.</summary>
public class WeakTokenValidationTests
{
    private const string Usings = """
        using System;
        using Microsoft.IdentityModel.JsonWebTokens;
        using Microsoft.IdentityModel.Tokens;

        """;

    [Theory]
    [InlineData("ValidateIssuer")]
    [InlineData("ValidateAudience")]
    [InlineData("ValidateLifetime")]
    [InlineData("RequireSignedTokens")]
    [InlineData("RequireExpirationTime")]
    public Task Check_set_to_false_in_an_initializer(string property) => Verifier.AnalyzerAsync(Usings + $$"""
        class C
        {
            TokenValidationParameters Parameters() => new TokenValidationParameters
            {
                ValidIssuer = "https://issuer.example",
                {|IG0400:{{property}} = false|},
            };
        }
        """);

    [Fact]
    public Task Check_set_to_false_on_options() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            void Configure(Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions options)
            {
                {|IG0400:options.TokenValidationParameters.ValidateLifetime = false|};
                options.TokenValidationParameters.ValidateAudience = true;
            }
        }
        """);

    [Fact]
    public Task Checks_left_on_computed_or_at_their_default_are_fine() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            TokenValidationParameters Parameters(bool development) => new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = !development,
                ValidateIssuerSigningKey = false,
            };
        }
        """);

    [Fact]
    public Task Validators_that_accept_everything() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            TokenValidationParameters Parameters() => new TokenValidationParameters
            {
                {|IG0400:SignatureValidator = (token, parameters) => new JsonWebToken(token)|},
                {|IG0400:IssuerValidator = (issuer, token, parameters) => issuer|},
                {|IG0400:AudienceValidator = (audiences, token, parameters) => true|},
                {|IG0400:LifetimeValidator = delegate { return true; }|},
            };
        }
        """);

    [Fact]
    public Task Validators_that_check_are_fine() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            TokenValidationParameters Parameters() => new TokenValidationParameters
            {
                IssuerValidator = (issuer, token, parameters) =>
                    issuer == "https://issuer.example" ? issuer : throw new InvalidOperationException("Unknown issuer."),
                AudienceValidator = (audiences, token, parameters) => System.Linq.Enumerable.Contains(audiences, "api://crm"),
                LifetimeValidator = (notBefore, expires, token, parameters) => expires > DateTime.UtcNow,
                SignatureValidator = (token, parameters) =>
                {
                    var parsed = new JsonWebToken(token);
                    if (parsed.Issuer.Length == 0)
                    {
                        throw new InvalidOperationException("Unsigned.");
                    }

                    return parsed;
                },
            };
        }
        """);

    [Fact]
    public Task Conditional_compilation_only_active_code_is_seen() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            TokenValidationParameters Parameters() => new TokenValidationParameters
            {
        #if NEVER_DEFINED
                ValidateAudience = false,
        #endif
            };
        }
        """);

    [Fact]
    public Task Same_names_on_other_types_are_ignored() => Verifier.AnalyzerAsync("""
        class Settings
        {
            public bool ValidateLifetime { get; set; }
        }

        class C
        {
            Settings S() => new Settings { ValidateLifetime = false };
        }
        """);
}
