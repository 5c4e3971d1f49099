using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.Scanner.Loading;

/// <summary>
/// The .editorconfig and .globalconfig settings a build would give the compiler, for units compiled without
/// MSBuild: rule severities (<c>dotnet_diagnostic.IGnnnn.severity</c>) and the rules' own options
/// (<c>identityguard.*</c>). Files are found the way the SDK finds them: every .editorconfig from a source file's
/// folder up to the first <c>root = true</c>, and .globalconfig files in the unit's folder and above.
/// </summary>
internal sealed class EditorConfigOptions
{
    private readonly AnalyzerConfigSet _set;
    private readonly ConcurrentDictionary<string, AnalyzerConfigOptionsResult> _byPath = new(StringComparer.Ordinal);

    private EditorConfigOptions(AnalyzerConfigSet set, int fileCount)
    {
        _set = set;
        FileCount = fileCount;
    }

    /// <summary>How many configuration files were read.</summary>
    public int FileCount { get; }

    public static EditorConfigOptions Discover(string unitFolder, IEnumerable<string> files)
    {
        var configs = new List<AnalyzerConfig>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in files.Select(Path.GetDirectoryName).Append(unitFolder).Distinct(StringComparer.Ordinal))
        {
            for (var directory = new DirectoryInfo(folder!); directory is not null && visited.Add(directory.FullName); directory = directory.Parent)
            {
                var editorConfig = Path.Combine(directory.FullName, ".editorconfig");
                if (File.Exists(editorConfig))
                {
                    configs.Add(Parse(editorConfig));
                }
            }
        }

        for (var directory = new DirectoryInfo(unitFolder); directory is not null; directory = directory.Parent)
        {
            var globalConfig = Path.Combine(directory.FullName, ".globalconfig");
            if (File.Exists(globalConfig))
            {
                configs.Add(Parse(globalConfig));
            }
        }

        // Roslyn orders the files itself and stops at root = true; diagnostics about malformed files are not ours to report.
        return new EditorConfigOptions(AnalyzerConfigSet.Create(configs, out _), configs.Count);
    }

    private static AnalyzerConfig Parse(string path) => AnalyzerConfig.Parse(SourceText.From(File.ReadAllText(path)), path);

    private readonly ConcurrentDictionary<string, AnalyzerConfigOptions> _ruleOptionsByPath = new(StringComparer.Ordinal);
    private AnalyzerConfigOptions? _globalRuleOptions;

    private AnalyzerConfigOptionsResult For(string path) => _byPath.GetOrAdd(path, p => _set.GetOptionsForSourcePath(p));

    // One options object per file, so the rules' per-options caches work as they do under csc.
    private AnalyzerConfigOptions RuleOptionsFor(string path) => _ruleOptionsByPath.GetOrAdd(path, p => new DictionaryOptions(For(p).AnalyzerOptions));

    /// <summary>Severities per file, as the compiler applies them.</summary>
    public SyntaxTreeOptionsProvider SeverityProvider => new SeverityOptions(this);

    /// <summary>Options the rules read.</summary>
    public AnalyzerConfigOptionsProvider AnalyzerOptionsProvider => new RuleOptions(this);

    private sealed class SeverityOptions : SyntaxTreeOptionsProvider
    {
        private readonly EditorConfigOptions _owner;

        public SeverityOptions(EditorConfigOptions owner) => _owner = owner;

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) =>
            _owner.For(tree.FilePath).AnalyzerOptions.TryGetValue("generated_code", out var value)
                ? (string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) ? GeneratedKind.MarkedGenerated : GeneratedKind.NotGenerated)
                : GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            _owner.For(tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            _owner._set.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);
    }

    private sealed class RuleOptions : AnalyzerConfigOptionsProvider
    {
        private readonly EditorConfigOptions _owner;

        public RuleOptions(EditorConfigOptions owner) => _owner = owner;

        public override AnalyzerConfigOptions GlobalOptions => _owner._globalRuleOptions ??= new DictionaryOptions(_owner._set.GlobalConfigOptions.AnalyzerOptions);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _owner.RuleOptionsFor(tree.FilePath);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _owner.RuleOptionsFor(textFile.Path);
    }

    private sealed class DictionaryOptions : AnalyzerConfigOptions
    {
        private readonly ImmutableDictionary<string, string> _values;

        public DictionaryOptions(ImmutableDictionary<string, string> values) => _values = values;

        public override IEnumerable<string> Keys => _values.Keys;

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
    }
}
