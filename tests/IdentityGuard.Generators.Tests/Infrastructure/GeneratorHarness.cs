using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using IdentityGuard.Manifest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace IdentityGuard.Generators.Tests.Infrastructure;

/// <summary>Runs <see cref="IdentityGuardGenerator"/> over a manifest the way the compiler does, without MSBuild.</summary>
internal static class GeneratorHarness
{
    public const string ManifestPath = "identityguard.json";

    public static CSharpParseOptions ParseOptions { get; } =
        new CSharpParseOptions(LanguageVersion.CSharp12, DocumentationMode.Diagnose);

    /// <summary>
    /// The test host's own framework, runtime and Microsoft.Extensions assemblies: generated code is compiled against
    /// exactly what it runs with, including the real IdentityGuard runtime.
    /// </summary>
    public static ImmutableArray<MetadataReference> References { get; } = LoadReferences();

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Consumer",
            sources.Select(source => CSharpSyntaxTree.ParseText(source, ParseOptions)),
            References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                // The SDK passes /nowarn:1701,1702 too: binding-redirect notes about unified framework versions.
                specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic>
                {
                    ["CS1701"] = ReportDiagnostic.Suppress,
                    ["CS1702"] = ReportDiagnostic.Suppress,
                }));

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> additionalTexts, IReadOnlyDictionary<string, string>? buildProperties = null, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new IdentityGuardGenerator().AsSourceGenerator() },
            additionalTexts,
            ParseOptions,
            new TestOptionsProvider(buildProperties ?? new Dictionary<string, string>()),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator over one manifest and returns what it produced.</summary>
    public static GeneratorOutcome Run(string manifest, IReadOnlyDictionary<string, string>? buildProperties = null, CSharpCompilation? compilation = null) =>
        Run(new[] { new InMemoryAdditionalText(ManifestPath, manifest) }, buildProperties, compilation);

    public static GeneratorOutcome Run(IEnumerable<AdditionalText> additionalTexts, IReadOnlyDictionary<string, string>? buildProperties = null, CSharpCompilation? compilation = null)
    {
        compilation ??= EmptyCompilation;
        var driver = CreateDriver(additionalTexts, buildProperties).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        return new GeneratorOutcome(driver.GetRunResult(), (CSharpCompilation)output, driverDiagnostics);
    }

    private static CSharpCompilation EmptyCompilation { get; } = CreateCompilation("internal static class Program { }");

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(typeof(CredentialManifest).Assembly.Location);
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name is "netstandard" or "mscorlib" or "IdentityGuard" ||
                name.StartsWith("System", StringComparison.Ordinal) ||
                name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) ||
                name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal))
            {
                byName.TryAdd(name, path);
            }
        }

        return byName.Values.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }
}

/// <summary>What one generator run produced.</summary>
internal sealed record GeneratorOutcome(GeneratorDriverRunResult RunResult, CSharpCompilation OutputCompilation, ImmutableArray<Diagnostic> DriverDiagnostics)
{
    public GeneratorRunResult Result => RunResult.Results.Single();

    /// <summary>The manifest diagnostics, in the order they were reported.</summary>
    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics;

    public ImmutableArray<GeneratedSourceResult> Sources => Result.GeneratedSources;

    /// <summary>Errors and warnings of the compilation that includes the generated code.</summary>
    public ImmutableArray<Diagnostic> CompilationProblems() =>
        OutputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
}
