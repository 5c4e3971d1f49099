using System.Threading.Tasks;
using Xunit;
using Verifier = IdentityGuard.Analyzers.Tests.RuleVerifier<IdentityGuard.Analyzers.Validation.InsecureIdentityEndpointAnalyzer>;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>IG0402: http identity endpoints off loopback, and options that allow them.</summary>
public class InsecureIdentityEndpointTests
{
    private const string Usings = """
        using System;
        using Duende.IdentityModel.Client;
        using Microsoft.AspNetCore.Authentication.JwtBearer;

        """;

    [Fact]
    public Task Http_authority_metadata_and_token_addresses() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            void M(JwtBearerOptions options)
            {
                options.Authority = {|IG0402:"http://login.example.com/tenant"|};
                options.MetadataAddress = {|IG0402:"HTTP://login.example.com/.well-known/openid-configuration"|};
                var request = new ClientCredentialsTokenRequest { Address = {|IG0402:"http://idp.internal:8080/connect/token"|} };
                var cache = new DiscoveryCache({|IG0402:"http://10.0.0.5"|});
                var builder = Microsoft.Identity.Client.ConfidentialClientApplicationBuilder.Create("client").WithAuthority({|IG0402:"http://login.example.com/tenant"|});
            }
        }
        """);

    [Fact]
    public Task Https_and_loopback_are_fine() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            void M(JwtBearerOptions options)
            {
                options.Authority = "https://login.example.com/tenant";
                var local = new ClientCredentialsTokenRequest { Address = "http://127.0.0.1:5000/connect/token" };
                var named = new DiscoveryCache("http://localhost:5001");
                var ipv6 = new DiscoveryCache("http://[::1]:5001");
                var sub = new DiscoveryCache("http://idp.localhost");
            }
        }
        """);

    [Fact]
    public Task Require_https_turned_off() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            void M(JwtBearerOptions options, DiscoveryDocumentRequest request)
            {
                {|IG0402:options.RequireHttpsMetadata = false|};
                {|IG0402:request.Policy.RequireHttps = false|};
            }
        }
        """);

    [Fact]
    public Task Require_https_off_for_loopback_only_is_fine() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            void M(JwtBearerOptions options, DiscoveryDocumentRequest request, Uri address)
            {
                options.Authority = "http://localhost:5000";
                options.RequireHttpsMetadata = false;
                var local = new JwtBearerOptions { MetadataAddress = "http://127.0.0.1:5000/.well-known/openid-configuration", RequireHttpsMetadata = false };
                if (address.IsLoopback)
                {
                    request.Policy.RequireHttps = false;
                }
            }
        }
        """);

    [Fact]
    public Task Same_names_outside_identity_libraries_are_ignored() => Verifier.AnalyzerAsync("""
        class Mailbox
        {
            public string Address { get; set; } = "";
            public string Authority { get; set; } = "";
        }

        class C
        {
            Mailbox M() => new Mailbox { Address = "http://example.com", Authority = "http://example.com" };
        }
        """);
}
