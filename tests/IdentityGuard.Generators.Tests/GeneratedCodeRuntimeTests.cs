using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Generators.Tests.Infrastructure;
using IdentityGuard.Manifest;
using IdentityGuard.Tokens;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IdentityGuard.Generators.Tests;

/// <summary>Compiles the generated code, loads it and runs it against the real runtime and a real container.</summary>
public sealed class GeneratedCodeRuntimeTests
{
    [Fact]
    public void Compiled_manifest_holds_the_manifest_values_with_vendor_endpoints_resolved()
    {
        var manifest = ManifestOf(Load(SnapshotTests.RepresentativeManifest));

        Assert.Equal("client-brief-agent", manifest.Workload);
        Assert.Equal(["Crm", "Reports", "Drive", "Mail", "Directory", "Weather", "Maps"], manifest.Providers.Select(p => p.Name));

        var crm = manifest.Find("Crm")!;
        Assert.Equal(OAuthFlow.UserFederation, crm.Flow);
        Assert.Equal("custom", crm.Vendor);
        Assert.Equal("https://login.example.com/.well-known/openid-configuration", crm.DiscoveryUrl);
        Assert.Equal(ValueReference.Literal("client-brief-agent"), crm.ClientId);
        Assert.Equal(ValueReference.FromConfiguration("IdentityGuard:Crm:ClientSecret"), crm.ClientSecret);
        Assert.Equal([new ScopeDescriptor("NotesRead", "crm.notes.read"), new ScopeDescriptor("BriefWrite", "crm.briefs.write")], crm.Scopes);

        var reports = manifest.Find("Reports")!;
        Assert.Equal(OAuthFlow.M2M, reports.Flow);
        Assert.Equal("https://reports.example.com", reports.Audience);
        Assert.Equal(ValueReference.FromEnvironment("REPORTS_CLIENT_SECRET"), reports.ClientSecret);
        Assert.Equal("a&b<c>", reports.Scopes[1].Value);
        Assert.Equal(["https://reports.example.com", "https://reports-eu.example.com:8443"], reports.AllowedOrigins);
        Assert.Empty(crm.AllowedOrigins);
        Assert.Equal(["https://api.weather.example"], manifest.Find("Weather")!.AllowedOrigins);

        var drive = manifest.Find("Drive")!;
        Assert.Equal("google", drive.Vendor);
        Assert.Equal("https://oauth2.googleapis.com/token", drive.TokenEndpoint);
        Assert.Equal("https://accounts.google.com/o/oauth2/v2/auth", drive.AuthorizationEndpoint);

        var mail = manifest.Find("Mail")!;
        Assert.Equal(OAuthFlow.OnBehalfOf, mail.Flow);
        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", mail.TokenEndpoint);

        Assert.Equal("https://dev-123456.okta.com/oauth2/default/v1/token", manifest.Find("Directory")!.TokenEndpoint);

        var maps = manifest.Find("Maps")!;
        Assert.Equal(CredentialKind.ApiKey, maps.Kind);
        Assert.Equal(ApiKeyPlacement.Query, maps.ApiKeyPlacement);
        Assert.Equal("key", maps.ApiKeyParameter);
    }

    [Fact]
    public async Task AddIdentityGuard_registers_accessors_that_reach_the_runtime()
    {
        var assembly = Load(SnapshotTests.RepresentativeManifest);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Weather:ApiKey"] = "weather-key-value" })
            .Build();
        var services = new ServiceCollection();
        Invoke(assembly, "AddIdentityGuard", services, configuration);
        using var provider = services.BuildServiceProvider();

        var weatherType = assembly.GetType("Contoso.Agent.IWeatherApiKey", throwOnError: true)!;
        var weather = provider.GetRequiredService(weatherType);
        var key = await (ValueTask<ApiKey>)weatherType.GetMethod("GetAsync")!.Invoke(weather, [CancellationToken.None])!;
        Assert.Equal("weather-key-value", key.RevealValue());
        Assert.Equal("X-Api-Key", key.ParameterName);
        Assert.Equal(ApiKeyPlacement.Header, key.Placement);

        // Token accessors resolve too; asking them for a token would need a server, which the runtime tests cover.
        Assert.NotNull(provider.GetRequiredService(assembly.GetType("Contoso.Agent.ICrmTokens", throwOnError: true)!));
        Assert.NotNull(provider.GetRequiredService(assembly.GetType("Contoso.Agent.IReportsTokens", throwOnError: true)!));
    }

    [Fact]
    public void Literal_values_with_quotes_backslashes_and_line_separators_round_trip()
    {
        const string Manifest = """
            {
              "workload": "agent \"quoted\" \\ \u2028 line",
              "providers": {
                "Odd": {
                  "kind": "oauth2", "flow": "m2m",
                  "tokenEndpoint": "https://example.com/token?a=\"b\"",
                  "clientId": "id\nwith\r\nbreaks\u0085",
                  "scopes": { "Ünïcödé": "x</summary>&y" }
                }
              }
            }
            """;
        var manifest = ManifestOf(Load(Manifest));

        Assert.Equal("agent \"quoted\" \\ \u2028 line", manifest.Workload);
        var odd = manifest.Find("Odd")!;
        Assert.Equal(ValueReference.Literal("id\nwith\r\nbreaks\u0085"), odd.ClientId);
        Assert.Equal("https://example.com/token?a=\"b\"", odd.TokenEndpoint);
        Assert.Equal(new ScopeDescriptor("Ünïcödé", "x</summary>&y"), Assert.Single(odd.Scopes));
    }

    private static CredentialManifest ManifestOf(Assembly assembly) =>
        (CredentialManifest)Registration(assembly).GetProperty("Manifest")!.GetValue(null)!;

    private static object? Invoke(Assembly assembly, string method, params object[] arguments) =>
        Registration(assembly).GetMethod(method)!.Invoke(null, arguments);

    private static Type Registration(Assembly assembly) =>
        assembly.GetTypes().Single(t => t.Name == "IdentityGuardRegistration");

    private static Assembly Load(string manifest)
    {
        var outcome = GeneratorHarness.Run(manifest, SnapshotTests.BuildProperties);
        Assert.Empty(outcome.Diagnostics);
        var problems = outcome.CompilationProblems();
        Assert.True(problems.IsEmpty, string.Join(Environment.NewLine, problems));

        using var image = new MemoryStream();
        var emitted = outcome.OutputCompilation.WithAssemblyName("Consumer" + Guid.NewGuid().ToString("N")).Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return Assembly.Load(image.ToArray());
    }
}
