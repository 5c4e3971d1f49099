using IdentityGuard.Generators.Emit;
using IdentityGuard.Generators.Diagnostics;
using IdentityGuard.ManifestContract;
using Microsoft.CodeAnalysis;

namespace IdentityGuard.Generators;

/// <summary>
/// Compiles the credential-provider manifest (<c>identityguard.json</c>, an AdditionalFile) into scope enums, typed
/// token and API-key accessors, DI registration and HTTP client wiring, and reports manifest mistakes as diagnostics
/// located in the manifest.
/// </summary>
/// <remarks>
/// The pipeline is file → parse → model → emit, each step value-equatable, so edits to C# files never re-read the
/// manifest and a manifest edit that changes only diagnostics never re-emits code.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class IdentityGuardGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.AdditionalTextsProvider
            .Where(static file => ManifestFile.IsManifest(file.Path))
            .Select(static (file, cancellationToken) => new ManifestFile(file.Path, file.GetText(cancellationToken)?.ToString()))
            .WithTrackingName(TrackingNames.ManifestFiles)
            .Collect()
            .Select(static (files, cancellationToken) => ManifestReader.ReadAll(files, cancellationToken))
            .WithTrackingName(TrackingNames.ManifestParse);

        var model = parsed
            .Select(static (result, _) => result.Model)
            .WithTrackingName(TrackingNames.ManifestModel);

        var ns = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => GeneratedNamespace.Resolve(options.GlobalOptions))
            .WithTrackingName(TrackingNames.Namespace);

        var sources = model
            .Combine(ns)
            .Select(static (input, cancellationToken) => SourceEmitter.Emit(input.Left, input.Right, cancellationToken))
            .WithTrackingName(TrackingNames.Emit);

        context.RegisterSourceOutput(parsed, static (output, result) =>
        {
            foreach (var diagnostic in result.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        context.RegisterSourceOutput(sources, static (output, files) =>
        {
            foreach (var file in files)
            {
                output.AddSource(file.HintName, file.Text);
            }
        });
    }
}
