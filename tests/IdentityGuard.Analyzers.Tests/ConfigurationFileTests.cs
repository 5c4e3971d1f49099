using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static IdentityGuard.Analyzers.Tests.Fake;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>identityguard.json and appsettings*.json are scanned, and findings point at the value.</summary>
public class ConfigurationFileTests
{
    private const string NoCode = "class C { }";

    private static Task VerifyFileAsync(string path, string json, params DiagnosticResult[] expected) =>
        Verify.AnalyzerAsync(NoCode, new[] { (path, json) }, null, expected);

    [Fact]
    public Task Connection_string_password_in_appsettings_is_reported_at_its_line_and_column()
    {
        var connection = Json(FakeCredentials.InValue["connection-string-password"]);
        var json = "{\n  \"ConnectionStrings\": {\n    \"Crm\": " + connection + "\n  }\n}\n";
        return VerifyFileAsync(
            "/0/appsettings.json",
            json,
            Verify.IG0001(KnownFormatCredentialTests.Title("connection-string-password"))
                .WithSpan("/0/appsettings.json", 3, 12, 3, 12 + connection.Length));
    }

    [Fact]
    public Task Secret_named_key_with_random_value_is_reported_with_its_configuration_path()
    {
        var secret = Json(Random(Base62, 32, 600));
        var json = "{\n  // comments are allowed in appsettings\n  \"Weather\": {\n    \"Header\": \"X-Api-Key\",\n    \"ApiKey\": " + secret + ",\n  },\n}\n";
        return VerifyFileAsync(
            "/0/appsettings.Development.json",
            json,
            Verify.IG0002("Weather:ApiKey").WithSpan("/0/appsettings.Development.json", 5, 15, 5, 15 + secret.Length));
    }

    [Fact]
    public Task Known_format_in_an_array_and_in_an_escaped_json_string()
    {
        var token = Json(FakeCredentials.InValue["github-classic-token"]);
        var key = Json(FakeCredentials.InValue["private-key"]);
        var json = "{\n  \"Mirrors\": [\n    \"https://mirror.internal\",\n    " + token + "\n  ],\n  \"private_key\": " + key + "\n}\n";
        return VerifyFileAsync(
            "/0/appsettings.Production.json",
            json,
            Verify.IG0001(KnownFormatCredentialTests.Title("github-classic-token")).WithSpan("/0/appsettings.Production.json", 4, 5, 4, 5 + token.Length),
            Verify.IG0001(KnownFormatCredentialTests.Title("private-key")).WithSpan("/0/appsettings.Production.json", 6, 18, 6, 18 + key.Length));
    }

    [Fact]
    public Task Manifest_references_and_non_secret_values_are_not_reported() => VerifyFileAsync(
        "/0/identityguard.json",
        """
        {
          "workload": "client-brief-agent",
          "providers": {
            "Crm": {
              "kind": "oauth2",
              "flow": "userFederation",
              "discoveryUrl": "https://login.example.com/.well-known/openid-configuration",
              "clientId": "client-brief-agent",
              "clientSecret": { "configuration": "IdentityGuard:Crm:ClientSecret" },
              "scopes": { "NotesRead": "crm.notes.read" }
            },
            "Reports": {
              "clientSecret": { "environment": "REPORTS_CLIENT_SECRET" }
            }
          }
        }
        """);

    [Fact]
    public Task Manifest_credential_slots_are_left_to_the_generator_but_other_manifest_values_are_scanned()
    {
        var url = Json(FakeCredentials.InValue["url-userinfo-password"]);
        var json = "{\n  \"providers\": {\n    \"Crm\": {\n      \"clientSecret\": " + Json(Random(Base62, 32, 601)) + ",\n      \"tokenEndpoint\": " + url + "\n    }\n  }\n}\n";
        return VerifyFileAsync(
            "/0/identityguard.json",
            json,
            Verify.IG0001(KnownFormatCredentialTests.Title("url-userinfo-password")).WithSpan("/0/identityguard.json", 5, 24, 5, 24 + url.Length));
    }

    [Fact]
    public Task Other_json_files_are_not_scanned() => VerifyFileAsync(
        "/0/fixtures.json",
        "{ \"ApiKey\": " + Json(FakeCredentials.InValue["stripe-secret-key"]) + " }");

    [Fact]
    public Task Malformed_json_does_not_throw() => VerifyFileAsync(
        "/0/appsettings.json",
        "{ \"Crm\": { \"ApiKey\": \"unterminated\n ] } } { \"x\": tru");

    [Fact]
    public Task Options_apply_to_configuration_files() => Verify.AnalyzerAsync(
        NoCode,
        new[] { ("/0/appsettings.json", "{ \"SessionKey\": " + Json(Random(Base62, 32, 602)) + " }") },
        "root = true\n[*]\nidentityguard.IG0002.additional_keywords = sessionkey\n",
        Verify.IG0002("SessionKey").WithSpan("/0/appsettings.json", 1, 17, 1, 51));
}
