using System.Collections.Generic;
using System.Linq;
using IdentityGuard.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace IdentityGuard.Generators.Tests;

/// <summary>
/// The pipeline must not re-read the manifest when only C# files change (that happens on every keystroke in the
/// IDE), and must re-run when the manifest changes.
/// </summary>
public sealed class IncrementalityTests
{
    private const string ManifestWithWarning = """
        { "workload": "client-brief-agent", "unknownThing": 1,
          "providers": { "Weather": { "kind": "apiKey", "header": "X-Api-Key", "apiKey": { "configuration": "Weather:ApiKey" } } } }
        """;

    [Fact]
    public void Editing_an_unrelated_csharp_file_leaves_parsing_and_emission_cached()
    {
        var manifest = new InMemoryAdditionalText(GeneratorHarness.ManifestPath, SnapshotTests.RepresentativeManifest);
        var compilation = GeneratorHarness.CreateCompilation("namespace App; public static class Program { public static int Value => 1; }");
        var driver = GeneratorHarness.CreateDriver(new[] { manifest }, SnapshotTests.BuildProperties, trackSteps: true).RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText("namespace App; public static class Program { public static int Value => 2; }", GeneratorHarness.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAll(result, TrackingNames.ManifestParse, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertAll(result, TrackingNames.ManifestModel, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertAll(result, TrackingNames.Emit, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.All(result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(run => run.Outputs), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Editing_the_manifest_reruns_parsing_and_emission()
    {
        var manifest = new InMemoryAdditionalText(GeneratorHarness.ManifestPath, SnapshotTests.RepresentativeManifest);
        var compilation = GeneratorHarness.CreateCompilation("namespace App; public static class Program { }");
        var driver = GeneratorHarness.CreateDriver(new[] { manifest }, SnapshotTests.BuildProperties, trackSteps: true).RunGenerators(compilation);

        var changed = new InMemoryAdditionalText(GeneratorHarness.ManifestPath, SnapshotTests.RepresentativeManifest.Replace("client-brief-agent\",", "renamed-agent\",", System.StringComparison.Ordinal));
        var result = driver.ReplaceAdditionalText(manifest, changed).RunGenerators(compilation).GetRunResult().Results.Single();

        AssertAll(result, TrackingNames.ManifestParse, IncrementalStepRunReason.Modified);
        AssertAll(result, TrackingNames.ManifestModel, IncrementalStepRunReason.Modified);
        AssertAll(result, TrackingNames.Emit, IncrementalStepRunReason.Modified);
        Assert.Contains(result.GeneratedSources, s => s.SourceText.ToString().Contains("\"renamed-agent\"", System.StringComparison.Ordinal));
    }

    [Fact]
    public void A_manifest_edit_that_changes_only_diagnostics_does_not_re_emit()
    {
        var manifest = new InMemoryAdditionalText(GeneratorHarness.ManifestPath, ManifestWithWarning);
        var compilation = GeneratorHarness.CreateCompilation("namespace App; public static class Program { }");
        var driver = GeneratorHarness.CreateDriver(new[] { manifest }, SnapshotTests.BuildProperties, trackSteps: true).RunGenerators(compilation);

        var fixedManifest = new InMemoryAdditionalText(GeneratorHarness.ManifestPath, ManifestWithWarning.Replace("\"unknownThing\": 1,", string.Empty, System.StringComparison.Ordinal));
        var run = driver.ReplaceAdditionalText(manifest, fixedManifest).RunGenerators(compilation).GetRunResult();
        var result = run.Results.Single();

        Assert.Empty(result.Diagnostics);
        AssertAll(result, TrackingNames.ManifestParse, IncrementalStepRunReason.Modified);
        AssertAll(result, TrackingNames.ManifestModel, IncrementalStepRunReason.Unchanged);
        AssertAll(result, TrackingNames.Emit, IncrementalStepRunReason.Cached);
    }

    private static void AssertAll(GeneratorRunResult result, string step, params IncrementalStepRunReason[] allowed)
    {
        Assert.True(result.TrackedSteps.TryGetValue(step, out var runs), $"Step {step} was not tracked.");
        var reasons = runs.SelectMany(run => run.Outputs).Select(output => output.Reason).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, reason => Assert.Contains(reason, (IEnumerable<IncrementalStepRunReason>)allowed));
    }
}
