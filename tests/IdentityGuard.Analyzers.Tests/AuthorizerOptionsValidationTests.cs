using System.Threading.Tasks;
using Xunit;
using Endpoints = IdentityGuard.Analyzers.Tests.RealVerifier<IdentityGuard.Analyzers.Validation.InsecureIdentityEndpointAnalyzer>;
using Verifier = IdentityGuard.Analyzers.Tests.RealVerifier<IdentityGuard.Analyzers.Validation.WeakTokenValidationAnalyzer>;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// IG0400 and IG0402 on IdentityGuard's own inbound authorizer options (<c>JwtAuthorizerOptions</c>, the real runtime
/// type): the switches that let tokens for other APIs, ID tokens or http metadata in.
/// </summary>
public class AuthorizerOptionsValidationTests
{
    private const string Usings = """
        using System;
        using IdentityGuard.Authorization;

        """;

    [Fact]
    public Task Turning_off_audience_validation_or_allowing_id_token_claims_is_reported() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            JwtAuthorizerOptions Options() => new JwtAuthorizerOptions
            {
                Authority = new Uri("https://login.example.com"),
                {|IG0400:DisableAudienceValidation = true|},
            };

            void Configure(JwtAuthorizerOptions options)
            {
                {|IG0400:options.AllowIdTokenClaims = true|};
            }
        }
        """);

    [Fact]
    public Task The_switches_left_at_their_safe_value_or_computed_are_fine() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            JwtAuthorizerOptions Options(bool legacyProvider) => new JwtAuthorizerOptions
            {
                DisableAudienceValidation = false,
                AllowIdTokenClaims = legacyProvider,
                RequireHttpsMetadata = true,
            };

            // A type of the same shape that is not the authorizer's options.
            sealed class OtherOptions { public bool DisableAudienceValidation { get; set; } }

            OtherOptions Other() => new OtherOptions { DisableAudienceValidation = true };
        }
        """);

    [Fact]
    public Task Http_metadata_allowed_off_loopback_is_reported_loopback_is_not() => Endpoints.AnalyzerAsync(Usings + """
        class C
        {
            JwtAuthorizerOptions Remote() => new JwtAuthorizerOptions
            {
                Authority = new Uri("https://login.example.com"),
                {|IG0402:RequireHttpsMetadata = false|},
            };

            JwtAuthorizerOptions Local() => new JwtAuthorizerOptions
            {
                Authority = new Uri("http://127.0.0.1:5000"),
                RequireHttpsMetadata = false,
            };
        }
        """);
}
