using System;
using System.Linq;
using IdentityGuard.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace IdentityGuard.Generators.Tests;

/// <summary>One test per manifest diagnostic: id, severity and the exact position of the offending token.</summary>
public sealed class ManifestDiagnosticTests
{
    private const string Weather = """
        "Weather": { "kind": "apiKey", "header": "X-Api-Key", "apiKey": { "configuration": "Weather:ApiKey" } }
        """;

    [Fact]
    public void IG1001_invalid_json_points_at_the_offending_character_with_the_parser_message()
    {
        var diagnostic = AssertSingle("""
            {
              "workload": "agent",
              "providers": {}[|;|]
            }
            """, "IG1001", DiagnosticSeverity.Error);
        Assert.Contains("expected ',' or '}'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void IG1001_trailing_comma()
    {
        var diagnostic = AssertSingle("""{ "workload": "agent", [|}|]""", "IG1001", DiagnosticSeverity.Error);
        Assert.Contains("trailing comma", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void IG1001_unterminated_string_points_at_its_opening_quote()
    {
        AssertSingle("""{ "workload": [|"|]agent""", "IG1001", DiagnosticSeverity.Error);
    }

    [Fact]
    public void IG1002_missing_workload_points_at_the_root_object()
    {
        var diagnostic = AssertSingle("""[|{|] "providers": { } }""", "IG1002", DiagnosticSeverity.Error);
        Assert.Contains("'workload'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void IG1002_missing_client_id_points_at_the_provider_object()
    {
        var diagnostic = AssertSingle("""
            { "workload": "agent", "providers": {
                "Crm": [|{|] "kind": "oauth2", "flow": "m2m", "tokenEndpoint": "https://idp.example.com/token" } } }
            """, "IG1002", DiagnosticSeverity.Error);
        Assert.Contains("'clientId'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void IG1002_custom_provider_without_any_endpoint()
    {
        var diagnostic = AssertSingle("""
            { "workload": "agent", "providers": { "Crm": [|{|] "kind": "oauth2", "flow": "m2m", "clientId": "c" } } }
            """, "IG1002", DiagnosticSeverity.Error);
        Assert.Contains("'discoveryUrl' or 'tokenEndpoint'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void IG1002_vendor_that_needs_a_domain()
    {
        var diagnostic = AssertSingle("""
            { "workload": "agent", "providers": { "Dir": [|{|] "kind": "oauth2", "vendor": "auth0", "flow": "m2m", "clientId": "c" } } }
            """, "IG1002", DiagnosticSeverity.Error);
        Assert.Contains("'domain'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void IG1003_wrong_value_type_points_at_the_value()
    {
        var diagnostic = AssertSingle("""{ "workload": [|42|] }""", "IG1003", DiagnosticSeverity.Error);
        Assert.Equal("'workload' of the manifest must be a string, not a number", diagnostic.GetMessage());
    }

    [Fact]
    public void IG1003_relative_endpoint()
    {
        AssertSingle("""
            { "workload": "agent", "providers": { "Crm": { "kind": "oauth2", "flow": "m2m", "clientId": "c", "tokenEndpoint": [|"/connect/token"|] } } }
            """, "IG1003", DiagnosticSeverity.Error);
    }

    [Fact]
    public void IG1003_scope_with_a_space()
    {
        AssertSingle("""
            { "workload": "agent", "providers": { "Crm": { "kind": "oauth2", "flow": "m2m", "clientId": "c",
              "tokenEndpoint": "https://idp.example.com/token", "scopes": { "Both": [|"read write"|] } } } }
            """, "IG1003", DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("""{ "workload": "a", "providers": { "P": { "kind": [|"oauth3"|] } } }""", "oauth2, apiKey")]
    [InlineData("""{ "workload": "a", "providers": { "P": { "kind": "oauth2", "flow": [|"implicit"|], "clientId": "c", "tokenEndpoint": "https://x.example/t" } } }""", "m2m, userFederation, onBehalfOf")]
    [InlineData("""{ "workload": "a", "providers": { "P": { "kind": "oauth2", "flow": "m2m", "vendor": [|"gogle"|], "clientId": "c" } } }""", "google, github, microsoft, slack, salesforce, atlassian, okta, auth0, custom")]
    public void IG1004_unknown_kind_flow_or_vendor_lists_the_allowed_values(string markup, string allowed)
    {
        var diagnostic = AssertSingle(markup, "IG1004", DiagnosticSeverity.Error);
        Assert.EndsWith("use one of: " + allowed, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void IG1005_duplicate_provider_points_at_the_second_name_and_keeps_the_first()
    {
        var (text, span) = Markup.Parse("{ \"workload\": \"a\", \"providers\": { " + Weather + ", [|\"weather\"|]: { } } }");
        var outcome = GeneratorHarness.Run(text);
        var diagnostic = Assert.Single(outcome.Diagnostics);
        AssertLocated(diagnostic, "IG1005", DiagnosticSeverity.Error, span);
        Assert.Contains("differ in more than letter case", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(outcome.Sources, s => s.HintName == "IdentityGuard.Providers.Weather.g.cs");
    }

    [Fact]
    public void IG1005_duplicate_scope()
    {
        AssertSingle("""
            { "workload": "a", "providers": { "Crm": { "kind": "oauth2", "flow": "m2m", "clientId": "c",
              "tokenEndpoint": "https://idp.example.com/token", "scopes": { "Read": "r", [|"Read"|]: "r2" } } } }
            """, "IG1005", DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("""{ "workload": "a", "providers": { [|"class"|]: { "kind": "apiKey", "query": "k", "apiKey": { "environment": "K" } } } }""", "keyword")]
    [InlineData("""{ "workload": "a", "providers": { [|"my-api"|]: { "kind": "apiKey", "query": "k", "apiKey": { "environment": "K" } } } }""", "not a valid identifier")]
    [InlineData("""{ "workload": "a", "providers": { "P": { "kind": "oauth2", "flow": "m2m", "clientId": "c", "tokenEndpoint": "https://x.example/t", "scopes": { [|"2Read"|]: "r" } } } }""", "not a valid identifier")]
    [InlineData("""{ "workload": "a", "providers": { "P": { "kind": "oauth2", "flow": "m2m", "clientId": "c", "tokenEndpoint": "https://x.example/t", "scopes": { [|"None"|]: "r" } } } }""", "empty scope set")]
    public void IG1006_names_that_cannot_be_csharp_identifiers(string markup, string reason)
    {
        var diagnostic = AssertSingle(markup, "IG1006", DiagnosticSeverity.Error);
        Assert.Contains(reason, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void IG1007_literal_secret_is_an_error_at_line_and_column_and_never_echoes_the_secret()
    {
        const string Manifest =
            "{\n" +
            "  \"workload\": \"agent\",\n" +
            "  \"providers\": {\n" +
            "    \"Crm\": {\n" +
            "      \"kind\": \"oauth2\", \"flow\": \"m2m\", \"clientId\": \"c\",\n" +
            "      \"tokenEndpoint\": \"https://idp.example.com/token\",\n" +
            "      \"clientSecret\": \"s3cr3t-Value\"\n" +
            "    }\n" +
            "  }\n" +
            "}\n";
        var outcome = GeneratorHarness.Run(Manifest);

        var diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal("IG1007", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);

        // Line 7, columns 23 to 37 as an editor shows them (one-based); LinePosition counts from zero.
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(new LinePosition(6, 22), span.StartLinePosition);
        Assert.Equal(new LinePosition(6, 36), span.EndLinePosition);
        Assert.DoesNotContain("s3cr3t", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Sources, s => s.HintName.Contains("Crm", StringComparison.Ordinal));
    }

    [Fact]
    public void IG1007_literal_api_key()
    {
        AssertSingle("""
            { "workload": "a", "providers": { "Weather": { "kind": "apiKey", "header": "X-Key", "apiKey": [|"abc123"|] } } }
            """, "IG1007", DiagnosticSeverity.Error);
    }

    [Fact]
    public void IG1008_http_endpoint_off_loopback_is_a_warning_and_the_provider_is_still_generated()
    {
        var (text, span) = Markup.Parse("""
            { "workload": "a", "providers": { "Crm": { "kind": "oauth2", "flow": "m2m", "clientId": "c",
              "tokenEndpoint": [|"http://idp.example.com/token"|] } } }
            """);
        var outcome = GeneratorHarness.Run(text);
        AssertLocated(Assert.Single(outcome.Diagnostics), "IG1008", DiagnosticSeverity.Warning, span);
        Assert.Contains(outcome.Sources, s => s.HintName == "IdentityGuard.Providers.Crm.g.cs");
    }

    [Theory]
    [InlineData("http://localhost:5000/token")]
    [InlineData("http://127.0.0.1/token")]
    [InlineData("http://[::1]:8080/token")]
    public void IG1008_is_not_reported_for_loopback(string endpoint)
    {
        var outcome = GeneratorHarness.Run("""{ "workload": "a", "providers": { "Crm": { "kind": "oauth2", "flow": "m2m", "clientId": "c", "tokenEndpoint": """ + "\"" + endpoint + "\" } } }");
        Assert.Empty(outcome.Diagnostics);
    }

    [Theory]
    [InlineData("https://api.example.com/v1")]
    [InlineData("https://api.example.com/?q=1")]
    [InlineData("https://api.example.com#top")]
    [InlineData("https://user@api.example.com")]
    [InlineData("api.example.com")]
    [InlineData("ftp://api.example.com")]
    [InlineData("https://")]
    [InlineData("")]
    public void IG1003_malformed_allowed_origin_points_at_that_origin(string origin)
    {
        var diagnostic = AssertSingle("""
            { "workload": "a", "providers": { "Weather": { "kind": "apiKey", "header": "X-Key", "apiKey": { "environment": "K" },
              "allowedOrigins": [ "https://ok.example.com", [|"
            """ + origin + """
            "|] ] } } }
            """, "IG1003", DiagnosticSeverity.Error);
        Assert.Contains("'allowedOrigins' of provider 'Weather'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void IG1003_plain_http_allowed_origin_off_loopback_is_an_error_because_the_runtime_would_refuse_it()
    {
        var diagnostic = AssertSingle("""
            { "workload": "a", "providers": { "Crm": { "kind": "oauth2", "flow": "m2m", "clientId": "c", "tokenEndpoint": "https://idp.example.com/token",
              "allowedOrigins": [ [|"http://crm.example.com"|] ] } } }
            """, "IG1003", DiagnosticSeverity.Error);
        Assert.Contains("https", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"https://api.example.com\"")]
    [InlineData("[]")]
    [InlineData("{ }")]
    public void IG1003_allowed_origins_that_are_not_a_non_empty_array_point_at_the_value(string value)
    {
        AssertSingle("""
            { "workload": "a", "providers": { "Weather": { "kind": "apiKey", "header": "X-Key", "apiKey": { "environment": "K" },
              "allowedOrigins": [|
            """ + value + """
            |] } } }
            """, "IG1003", DiagnosticSeverity.Error);
    }

    [Fact]
    public void IG1003_allowed_origin_that_is_not_a_string_points_at_the_item()
    {
        AssertSingle("""
            { "workload": "a", "providers": { "Weather": { "kind": "apiKey", "header": "X-Key", "apiKey": { "environment": "K" },
              "allowedOrigins": [ [|42|] ] } } }
            """, "IG1003", DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("https://api.example.com")]
    [InlineData("https://API.example.com:8443/")]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://localhost")]
    public void Valid_allowed_origins_are_not_reported(string origin)
    {
        var outcome = GeneratorHarness.Run("""{ "workload": "a", "providers": { "Weather": { "kind": "apiKey", "header": "X-Key", "apiKey": { "environment": "K" }, "allowedOrigins": [ """ + "\"" + origin + "\" ] } } }");
        Assert.Empty(outcome.Diagnostics);
    }

    [Fact]
    public void IG1009_more_than_64_scopes_points_at_the_65th()
    {
        var scopes = string.Join(", ", Enumerable.Range(0, 66).Select(i => (i == 64 ? "[|\"S64\"|]" : "\"S" + i + "\"") + ": \"s" + i + "\""));
        var diagnostic = AssertSingle(
            "{ \"workload\": \"a\", \"providers\": { \"P\": { \"kind\": \"oauth2\", \"flow\": \"m2m\", \"clientId\": \"c\", \"tokenEndpoint\": \"https://x.example/t\", \"scopes\": { " + scopes + " } } } }",
            "IG1009",
            DiagnosticSeverity.Error);
        Assert.Contains("66 scopes", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void IG1010_unknown_property_is_a_warning_that_suggests_the_nearest_known_one()
    {
        var diagnostic = AssertSingle("""
            { "workload": "a", "providers": { "Crm": { "kind": "oauth2", "flow": "m2m", "clientId": "c",
              "tokenEndpoint": "https://idp.example.com/token", [|"clientSecert"|]: { "environment": "S" } } } }
            """, "IG1010", DiagnosticSeverity.Warning);
        Assert.Contains("did you mean 'clientSecret'?", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void IG1011_second_manifest_is_reported_in_that_file()
    {
        var outcome = GeneratorHarness.Run(new AdditionalText[]
        {
            new InMemoryAdditionalText("a/identityguard.json", """{ "workload": "a" }"""),
            new InMemoryAdditionalText("b/IdentityGuard.JSON", """{ "workload": "b" }"""),
            new InMemoryAdditionalText("b/other.json", "not json"),
        });

        var diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal("IG1011", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("b/IdentityGuard.JSON", span.Path);
        Assert.Equal(new LinePositionSpan(new LinePosition(0, 0), new LinePosition(0, 0)), span.Span);
        Assert.Single(outcome.Sources);
    }

    [Theory]
    [InlineData("""{ "workload": "a", "providers": { "W": { "kind": "apiKey", "header": "X-Key", [|"query"|]: "key", "apiKey": { "environment": "K" } } } }""")]
    [InlineData("""{ "workload": "a", "providers": { "W": { "kind": "apiKey", "header": "X-Key", "apiKey": { "environment": "K", [|"configuration"|]: "C" } } } }""")]
    public void IG1012_conflicting_properties_point_at_the_second(string markup)
    {
        AssertSingle(markup, "IG1012", DiagnosticSeverity.Error);
    }

    [Fact]
    public void Valid_providers_are_generated_next_to_a_provider_with_errors()
    {
        var outcome = GeneratorHarness.Run("{ \"workload\": \"a\", \"providers\": { \"Broken\": { \"kind\": \"oauth2\" }, " + Weather + " } }");
        Assert.All(outcome.Diagnostics, d => Assert.Equal("IG1002", d.Id));
        Assert.Equal(
            ["IdentityGuard.Providers.Weather.g.cs", "IdentityGuard.Registration.g.cs"],
            outcome.Sources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_descriptor_has_a_help_link_to_its_rule_page_and_the_page_exists()
    {
        foreach (var descriptor in Diagnostics.ManifestDiagnostics.All)
        {
            Assert.Equal($"https://github.com/identityguard/identityguard/blob/main/docs/rules/{descriptor.Id}.md", descriptor.HelpLinkUri);
            Assert.Equal("IdentityGuard.Manifest", descriptor.Category);
            Assert.True(System.IO.File.Exists(System.IO.Path.Combine(RepositoryPaths.RuleDocs, descriptor.Id + ".md")), descriptor.Id + " has no rule page");
        }

        Assert.Equal(Diagnostics.ManifestDiagnostics.All.Length, Diagnostics.ManifestDiagnostics.All.Select(d => d.Id).Distinct().Count());
    }

    private static Diagnostic AssertSingle(string markup, string id, DiagnosticSeverity severity)
    {
        var (text, span) = Markup.Parse(markup);
        var outcome = GeneratorHarness.Run(text);
        Assert.Null(outcome.Result.Exception);
        var diagnostic = Assert.Single(outcome.Diagnostics);
        AssertLocated(diagnostic, id, severity, span);
        return diagnostic;
    }

    private static void AssertLocated(Diagnostic diagnostic, string id, DiagnosticSeverity severity, LinePositionSpan expected)
    {
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(GeneratorHarness.ManifestPath, span.Path);
        Assert.Equal(expected, span.Span);
    }
}
