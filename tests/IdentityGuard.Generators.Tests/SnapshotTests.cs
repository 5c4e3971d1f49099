using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IdentityGuard.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace IdentityGuard.Generators.Tests;

/// <summary>
/// The generated API for a representative manifest, compared with checked-in files. After a deliberate change to
/// the output, run the tests once with IDENTITYGUARD_UPDATE_SNAPSHOTS=1 and review the diff.
/// </summary>
public sealed class SnapshotTests
{
    private const string UpdateVariable = "IDENTITYGUARD_UPDATE_SNAPSHOTS";
    private const string Namespace = "Contoso.Agent";

    internal static string RepresentativeManifest => File.ReadAllText(Path.Combine(RepositoryPaths.Manifests, "representative.identityguard.json"));

    internal static Dictionary<string, string> BuildProperties { get; } = new()
    {
        ["build_property.IdentityGuardNamespace"] = Namespace,
        ["build_property.RootNamespace"] = "Contoso.Agent.Host",
    };

    [Fact]
    public void Representative_manifest_generates_the_snapshot_files()
    {
        var outcome = GeneratorHarness.Run(RepresentativeManifest, BuildProperties);
        Assert.Null(outcome.Result.Exception);
        Assert.Empty(outcome.Diagnostics);

        var directory = Path.Combine(RepositoryPaths.Snapshots, "Representative");
        var generated = outcome.Sources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            foreach (var stale in Directory.GetFiles(directory, "*.g.cs"))
            {
                File.Delete(stale);
            }

            foreach (var (hintName, text) in generated)
            {
                File.WriteAllText(Path.Combine(directory, hintName), text);
            }
        }

        var expectedFiles = Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.g.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()
            : [];
        Assert.Equal(expectedFiles, generated.Keys.Order(StringComparer.Ordinal).ToArray());
        foreach (var (hintName, text) in generated)
        {
            var expected = File.ReadAllText(Path.Combine(directory, hintName)).ReplaceLineEndings("\n");
            Assert.True(
                expected == text,
                $"{hintName} differs from its snapshot. Set {UpdateVariable}=1 to rewrite the snapshots, then review the diff.");
        }
    }

    [Fact]
    public void Generated_code_compiles_without_any_warning_against_the_real_runtime()
    {
        const string Usage = """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using Contoso.Agent;
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.DependencyInjection;

            namespace Consumer;

            /// <summary>Uses every generated member the way an agent would.</summary>
            public static class Usage
            {
                /// <summary>Registers everything.</summary>
                public static void Register(IServiceCollection services, IConfiguration configuration)
                {
                    services.AddIdentityGuard(configuration);
                    services.AddHttpClient("crm").WithCrmToken(CrmScopes.NotesRead | CrmScopes.BriefWrite);
                    services.AddHttpClient("reports").WithReportsToken(ReportsScopes.SalesRead);
                    services.AddHttpClient("weather").WithWeatherApiKey();
                    services.AddHttpClient("maps").WithMapsApiKey();
                    services.AddHttpClient("directory").WithDirectoryToken(DirectoryScopes.None);
                    _ = IdentityGuardRegistration.Manifest.Providers.Count;
                }

                /// <summary>Asks for tokens.</summary>
                public static async Task<string> UseAsync(ICrmTokens crm, IDriveTokens drive, IMailTokens mail, IWeatherApiKey weather, CancellationToken cancellationToken)
                {
                    var token = await crm.GetAsync(CrmScopes.NotesRead, cancellationToken);
                    var driveToken = await drive.GetAsync(DriveScopes.ReadOnly, cancellationToken);
                    var mailToken = await mail.GetAsync(MailScopes.MailRead, cancellationToken);
                    var key = await weather.GetAsync(cancellationToken);
                    return token.TokenType + driveToken.TokenType + mailToken.TokenType + key.ParameterName;
                }
            }
            """;
        var outcome = GeneratorHarness.Run(RepresentativeManifest, BuildProperties, GeneratorHarness.CreateCompilation(Usage));

        Assert.Empty(outcome.DriverDiagnostics);
        Assert.Empty(outcome.Diagnostics);
        Assert.Equal(8, outcome.Sources.Length);
        var problems = outcome.CompilationProblems();
        Assert.True(problems.IsEmpty, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Namespace_falls_back_from_the_IdentityGuard_property_to_RootNamespace_to_the_default()
    {
        const string Manifest = """{ "workload": "w", "providers": { "Weather": { "kind": "apiKey", "header": "X-Key", "apiKey": { "environment": "K" } } } }""";

        static string NamespaceOf(Dictionary<string, string> properties) =>
            GeneratorHarness.Run(Manifest, properties).Sources.Single(s => s.HintName == "IdentityGuard.Registration.g.cs")
                .SyntaxTree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.NamespaceDeclarationSyntax>().Single().Name.ToString();

        Assert.Equal("Mine.Credentials", NamespaceOf(new() { ["build_property.IdentityGuardNamespace"] = "Mine.Credentials", ["build_property.RootNamespace"] = "Root" }));
        Assert.Equal("Root.Ns", NamespaceOf(new() { ["build_property.IdentityGuardNamespace"] = "", ["build_property.RootNamespace"] = "Root.Ns" }));
        Assert.Equal("Root", NamespaceOf(new() { ["build_property.IdentityGuardNamespace"] = "not a namespace", ["build_property.RootNamespace"] = "Root" }));
        Assert.Equal("IdentityGuard.Generated", NamespaceOf(new()));
    }

    [Fact]
    public void No_manifest_generates_nothing()
    {
        var outcome = GeneratorHarness.Run(Array.Empty<AdditionalText>());
        Assert.Empty(outcome.Sources);
        Assert.Empty(outcome.Diagnostics);
    }
}
