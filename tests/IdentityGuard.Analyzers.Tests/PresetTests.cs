using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using IdentityGuard.Analyzers.Descriptors;
using Microsoft.CodeAnalysis;
using Xunit;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// The analysis-mode presets shipped in the package (analyzers/IdentityGuard.Analyzers/Presets): each names every
/// rule exactly once, so a new rule cannot ship without a decision about its severity in each mode.
/// </summary>
public class PresetTests
{
    private static readonly DiagnosticDescriptor[] Descriptors = typeof(Rules)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
        .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
        .ToArray();

    private static readonly Regex SeverityLine = new(@"^\s*dotnet_diagnostic\.(?<id>[A-Za-z]+\d+)\.severity\s*=\s*(?<severity>\S+)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    public static TheoryData<string> Presets => new() { "recommended", "strict", "minimal", "none" };

    private static string Read(string preset) =>
        File.ReadAllText(RepositoryFiles.PathOf("analyzers", "IdentityGuard.Analyzers", "Presets", preset + ".globalconfig"));

    [Theory]
    [MemberData(nameof(Presets))]
    public void Every_descriptor_id_is_listed_exactly_once(string preset)
    {
        var ids = SeverityLine.Matches(Read(preset)).Select(match => match.Groups["id"].Value).ToList();

        Assert.Equal(Descriptors.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal), ids.OrderBy(id => id, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Is_a_global_config_that_yields_to_the_project_own_settings(string preset)
    {
        var text = Read(preset);

        Assert.Matches(new Regex(@"^is_global\s*=\s*true\s*$", RegexOptions.Multiline), text);
        var level = Regex.Match(text, @"^global_level\s*=\s*(-?\d+)\s*$", RegexOptions.Multiline);
        Assert.True(level.Success, "global_level is missing");
        Assert.True(int.Parse(level.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < 0, "a package preset must rank below the project's own global configs");
        Assert.All(SeverityLine.Matches(text), match => Assert.Contains(match.Groups["severity"].Value, new[] { "error", "warning", "suggestion", "silent", "none" }));
    }

    [Fact]
    public void Recommended_is_every_rule_at_its_declared_severity()
    {
        var severities = SeverityLine.Matches(Read("recommended")).ToDictionary(match => match.Groups["id"].Value, match => match.Groups["severity"].Value);

        Assert.All(Descriptors, descriptor => Assert.Equal(EditorConfigSeverity(descriptor.DefaultSeverity), severities[descriptor.Id]));
    }

    /// <summary>The .editorconfig spelling of a severity ("info" is "suggestion", "hidden" is "silent").</summary>
    private static string EditorConfigSeverity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "suggestion",
        _ => "silent",
    };

    [Fact]
    public void None_turns_every_rule_off()
    {
        Assert.All(SeverityLine.Matches(Read("none")), match => Assert.Equal("none", match.Groups["severity"].Value));
    }

    [Fact]
    public void Minimal_keeps_exactly_the_rules_declared_as_errors()
    {
        var severities = SeverityLine.Matches(Read("minimal")).ToDictionary(match => match.Groups["id"].Value, match => match.Groups["severity"].Value);

        Assert.All(Descriptors, descriptor => Assert.Equal(descriptor.DefaultSeverity == DiagnosticSeverity.Error ? "error" : "none", severities[descriptor.Id]));
    }

    [Fact]
    public void Strict_makes_every_rule_an_error_and_tightens_IG0002()
    {
        var text = Read("strict");

        Assert.All(SeverityLine.Matches(text), match => Assert.Equal("error", match.Groups["severity"].Value));
        var entropy = Regex.Match(text, @"^identityguard\.IG0002\.min_entropy\s*=\s*([\d.]+)\s*$", RegexOptions.Multiline);
        Assert.True(entropy.Success, "strict sets identityguard.IG0002.min_entropy");
        Assert.True(double.Parse(entropy.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < Secrets.SecretHeuristics.DefaultMinEntropy);
        Assert.Matches(new Regex(@"^identityguard\.IG0002\.additional_keywords\s*=\s*\S+", RegexOptions.Multiline), text);
    }
}
