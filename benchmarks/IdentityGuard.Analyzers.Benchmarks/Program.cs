using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Analyzers.Benchmarks;
using IdentityGuard.Analyzers.Descriptors;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

// Usage: dotnet run -c Release --project benchmarks/IdentityGuard.Analyzers.Benchmarks -- [--files 800] [--runs 7] [--warmup 2] [--report-analyzer]
//   [--tree <folder of .cs files>]           a real source tree instead of the generated corpus
//   [--baseline <IdentityGuard.Analyzers.dll>] another build of the analyzers, measured side by side (isolated load context)
//   [--sonar <SonarAnalyzer.CSharp.dll>]      SonarAnalyzer's two secret rules (S2068, S6418) side by side
var files = Option("--files", 800);
var runs = Option("--runs", 7);
var warmup = Option("--warmup", 2);
var tree = StringOption("--tree");
var baselinePath = StringOption("--baseline");

var corpus = tree is null ? CorpusGenerator.Generate(files) : PeerAnalyzers.ReadTree(tree);
if (args.Contains("--report-analyzer"))
{
    return await ReportAnalyzerBuild.RunAsync(corpus);
}

var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp12);
var trees = corpus.Select(source => CSharpSyntaxTree.ParseText(source.Text, parseOptions, source.Path)).ToImmutableArray();
var references = References();
var lines = corpus.Sum(source => source.Text.Count(c => c == '\n') + 1);

Compilation NewCompilation() => CSharpCompilation.Create(
    "Corpus",
    trees,
    references,
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: true, allowUnsafe: true,
        specificDiagnosticOptions: PeerAnalyzers.SonarRuleIds.ToDictionary(id => id, _ => ReportDiagnostic.Warn)));

var errors = NewCompilation().GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
if (tree is not null)
{
    // A real tree is compiled without its own project's package references beyond those this program carries:
    // unresolved names bind to error types, and the analyzers still walk every method body.
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Tree {tree}: {errors.Count} compile errors (missing references) while analysing."));
}
else if (errors.Count > 0)
{
    Console.Error.WriteLine("The generated corpus does not compile:\n" + string.Join("\n", errors.Take(20)));
    return 1;
}

var identityGuard = typeof(Rules).Assembly.GetTypes()
    .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Length > 0)
    .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
    .ToImmutableArray();
var empty = ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer());
var baseline = baselinePath is null ? ImmutableArray<DiagnosticAnalyzer>.Empty : PeerAnalyzers.Load(baselinePath, _ => true);
var sonar = StringOption("--sonar") is { } sonarPath ? PeerAnalyzers.Sonar(sonarPath) : ImmutableArray<DiagnosticAnalyzer>.Empty;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Corpus: {corpus.Count} files, {lines} lines. {identityGuard.Length} IdentityGuard analyzers. Roslyn {typeof(Compilation).Assembly.GetName().Version}. {Environment.ProcessorCount} cores, .NET {Environment.Version}."));

// (a) the compiler's own diagnostics: all declarations and method bodies bound, as a build does before emitting.
Task<int> CompilerOnly() => Task.FromResult(NewCompilation().GetDiagnostics().Length);

// (b) and (c): the same, with an analyzer driver attached, the way the compiler runs analyzers alongside binding.
async Task<int> WithAnalyzers(ImmutableArray<DiagnosticAnalyzer> analyzers) =>
    (await NewCompilation().WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: false)).GetAllDiagnosticsAsync(CancellationToken.None)).Length;

var modeList = new List<(string Name, Func<Task<int>> Run)>
{
    ("(a) compiler only, no analyzers", CompilerOnly),
    ("(b) empty analyzer (driver baseline)", () => WithAnalyzers(empty)),
    ("(c) all IdentityGuard analyzers", () => WithAnalyzers(identityGuard)),
};
if (!baseline.IsEmpty)
{
    modeList.Add(("(c0) all IdentityGuard analyzers, baseline build", () => WithAnalyzers(baseline)));
}

if (!sonar.IsEmpty)
{
    modeList.Add(("(d) SonarAnalyzer S2068 + S6418", () => WithAnalyzers(sonar)));
}

var modes = modeList.ToArray();
var timings = modes.ToDictionary(mode => mode.Name, _ => new List<double>());

// CPU time of this process as well as wall time: on a shared machine other processes stretch wall time, while
// the CPU this process spends is what the work costs (and what a build on an idle machine waits for, spread over its cores).
var cpuTimings = modes.ToDictionary(mode => mode.Name, _ => new List<double>());
using var self = Process.GetCurrentProcess();

// Interleaved, so drift on a shared machine (other builds, thermal) spreads over all modes alike.
for (var run = 0; run < warmup + runs; run++)
{
    foreach (var (name, measure) in modes)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        self.Refresh();
        var cpuBefore = self.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        await measure();
        stopwatch.Stop();
        self.Refresh();
        if (run >= warmup)
        {
            timings[name].Add(stopwatch.Elapsed.TotalMilliseconds);
            cpuTimings[name].Add((self.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }
    }
}

var compilerMedian = Median(timings[modes[0].Name]);
var baselineMedian = Median(timings[modes[1].Name]);
Console.WriteLine();
var compilerCpu = Median(cpuTimings[modes[0].Name]);
var baselineCpu = Median(cpuTimings[modes[1].Name]);
Console.WriteLine("| mode | wall median ms | wall min ms | wall max ms | wall vs (a) | wall vs (b) | CPU median ms | CPU vs (a) | CPU vs (b) |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var (name, _) in modes)
{
    var values = timings[name];
    var median = Median(values);
    var cpu = Median(cpuTimings[name]);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {median:F0} | {values.Min():F0} | {values.Max():F0} | {Percent(median, compilerMedian)} | {Percent(median, baselineMedian)} | {cpu:F0} | {Percent(cpu, compilerCpu)} | {Percent(cpu, baselineCpu)} |"));
}

// Per-analyzer execution time, from the driver's own accounting (extra runs with timing switched on; the median of
// `runs` runs per analyzer set, each set run alone so one set's time does not include another's).
await Telemetry("IdentityGuard analyzers", identityGuard);
if (!baseline.IsEmpty)
{
    await Telemetry("IdentityGuard analyzers, baseline build", baseline);
}

if (!sonar.IsEmpty)
{
    await Telemetry("SonarAnalyzer S2068 + S6418", sonar);
}

return 0;

async Task Telemetry(string title, ImmutableArray<DiagnosticAnalyzer> analyzers)
{
    var perAnalyzer = analyzers.ToDictionary(a => a, _ => new List<double>());
    var findingCount = 0;
    for (var run = 0; run < Math.Max(1, runs); run++)
    {
        var telemetryRun = NewCompilation().WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: true));
        findingCount = (await telemetryRun.GetAnalyzerDiagnosticsAsync(CancellationToken.None)).Length;
        foreach (var analyzer in analyzers)
        {
            perAnalyzer[analyzer].Add((await telemetryRun.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None)).ExecutionTime.TotalMilliseconds);
        }
    }

    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title}: {findingCount} findings; execution time, median of {Math.Max(1, runs)} runs, total {perAnalyzer.Values.Sum(Median):F0} ms"));
    Console.WriteLine("| analyzer | execution time ms |");
    Console.WriteLine("|---|---:|");
    foreach (var (analyzer, times) in perAnalyzer.OrderByDescending(p => Median(p.Value)))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {analyzer.GetType().Name} | {Median(times):F0} |"));
    }
}

string? StringOption(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static double Median(List<double> values)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string Percent(double value, double reference) => ((value - reference) / reference).ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture);

static ImmutableArray<MetadataReference> References()
{
    // The framework from reference assemblies; the libraries the corpus uses from this program's own output folder.
    var libraries = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll")
        .Where(path => Path.GetFileName(path) is var name
            && (name == "IdentityGuard.dll" || name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.IdentityModel.", StringComparison.Ordinal) || name.StartsWith("Duende.", StringComparison.Ordinal)))
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
    return Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().Concat(libraries).ToImmutableArray();
}

/// <summary>Registers nothing: what attaching any analyzer costs, which every SDK build already pays for its own analyzers.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class EmptyAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Unused = new("BENCH0001", "unused", "unused", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Unused);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
    }
}
