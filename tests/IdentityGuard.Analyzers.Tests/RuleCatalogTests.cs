using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using IdentityGuard.Analyzers.Descriptors;
using IdentityGuard.Analyzers.Secrets;
using Microsoft.CodeAnalysis;
using Xunit;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>Descriptors, docs, release tracking and our own sources agree with each other.</summary>
public class RuleCatalogTests
{
    private static readonly DiagnosticDescriptor[] Descriptors = typeof(Rules)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
        .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
        .ToArray();

    [Fact]
    public void The_README_rule_table_lists_exactly_the_descriptors()
    {
        var readme = File.ReadAllLines(RepositoryFiles.PathOf("README.md"));
        var rows = readme
            .Where(line => line.StartsWith("| [IG", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(cells => cells[0][1..7], cells => (Severity: cells[1], Title: cells[2]));

        Assert.Equal(Descriptors.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal), rows.Keys.OrderBy(id => id, StringComparer.Ordinal));
        foreach (var descriptor in Descriptors)
        {
            Assert.Equal(descriptor.DefaultSeverity.ToString(), rows[descriptor.Id].Severity);
            Assert.Equal(descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture), rows[descriptor.Id].Title);
        }
    }

    [Fact]
    public void Every_descriptor_has_a_doc_page_its_help_link_points_to()
    {
        Assert.NotEmpty(Descriptors);
        foreach (var descriptor in Descriptors)
        {
            Assert.Equal(RuleIdentifiers.GetHelpUri(descriptor.Id), descriptor.HelpLinkUri);
            Assert.EndsWith("/docs/rules/" + descriptor.Id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
            var page = RepositoryFiles.PathOf("docs", "rules", descriptor.Id + ".md");
            Assert.True(File.Exists(page), $"missing {page}");
            Assert.StartsWith("# " + descriptor.Id, File.ReadAllText(page), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Secret_rules_use_the_reserved_id_range_and_are_release_tracked()
    {
        var unshipped = File.ReadAllText(RepositoryFiles.PathOf("analyzers", "IdentityGuard.Analyzers", "AnalyzerReleases.Unshipped.md"));
        foreach (var descriptor in new HardcodedSecretsAnalyzer().SupportedDiagnostics)
        {
            var number = int.Parse(descriptor.Id.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(number, 1, 99);
            Assert.Contains(descriptor.Id + " | " + descriptor.Category + " | " + descriptor.DefaultSeverity, unshipped, StringComparison.Ordinal);
        }
    }

    /// <summary>Token-flow (IG0300+) and validation (IG0400+) rules: every analyzer's ids are in its family's range and release-tracked.</summary>
    [Theory]
    [InlineData(typeof(IdentityGuard.Analyzers.Scopes.ManifestScopeAnalyzer), 100, 199)]
    [InlineData(typeof(IdentityGuard.Analyzers.Scopes.ScopeRequestAnalyzer), 100, 199)]
    [InlineData(typeof(IdentityGuard.Analyzers.Consent.ConsentHandlingAnalyzer), 200, 299)]
    [InlineData(typeof(IdentityGuard.Analyzers.TokenFlow.TokenFlowAnalyzer), 300, 399)]
    [InlineData(typeof(IdentityGuard.Analyzers.TokenFlow.CredentialToolParameterAnalyzer), 300, 399)]
    [InlineData(typeof(IdentityGuard.Analyzers.Validation.WeakTokenValidationAnalyzer), 400, 499)]
    [InlineData(typeof(IdentityGuard.Analyzers.Validation.DisabledCertificateValidationAnalyzer), 400, 499)]
    [InlineData(typeof(IdentityGuard.Analyzers.Validation.InsecureIdentityEndpointAnalyzer), 400, 499)]
    public void Family_rules_use_their_id_range_and_are_release_tracked(Type analyzerType, int first, int last)
    {
        var unshipped = File.ReadAllText(RepositoryFiles.PathOf("analyzers", "IdentityGuard.Analyzers", "AnalyzerReleases.Unshipped.md"));
        var analyzer = (Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer)Activator.CreateInstance(analyzerType)!;
        Assert.NotEmpty(analyzer.SupportedDiagnostics);
        foreach (var descriptor in analyzer.SupportedDiagnostics)
        {
            var number = int.Parse(descriptor.Id.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(number, first, last);
            Assert.Contains(descriptor, Descriptors);
            Assert.Contains(descriptor.Id + " | " + descriptor.Category + " | " + descriptor.DefaultSeverity, unshipped, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Doc_page_lists_every_catalog_format()
    {
        var page = File.ReadAllText(RepositoryFiles.PathOf("docs", "rules", "IG0001.md"));
        Assert.All(KnownSecretFormats.All, format => Assert.Contains("`" + format.Id + "`", page, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_catalog_pattern_compiles_and_every_signature_is_short_and_nonempty()
    {
        foreach (var format in KnownSecretFormats.All)
        {
            Assert.True(format.Pattern is not null || format.PairedValue is not null, format.Id);
            Assert.All(format.Signatures, signature => Assert.InRange(signature.Length, 2, 24));
            Assert.True(format.Signatures.Count > 0 || format.PairedNames is not null, format.Id);
        }
    }

    /// <summary>Our own code must pass our own analyzers: the test fixtures build their fake credentials at run time.</summary>
    [Fact]
    public async Task Analyzer_and_test_sources_have_no_findings()
    {
        var folders = new[]
        {
            RepositoryFiles.PathOf("analyzers"),
            RepositoryFiles.PathOf("tests", "IdentityGuard.Analyzers.Tests"),
        };
        var sources = folders
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !path.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(path => (Path.GetRelativePath(RepositoryFiles.Root, path), File.ReadAllText(path)))
            .ToList();
        Assert.True(sources.Count > 10);

        var diagnostics = await AnalyzerRunner.RunAsync(sources);
        Assert.True(diagnostics.IsEmpty, string.Join(Environment.NewLine, diagnostics));
    }
}
