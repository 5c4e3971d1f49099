using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using System.Xml.Linq;
using Xunit;

namespace IdentityGuard.Package.Tests;

/// <summary>
/// Every package tells the truth: each one alone, restored from the packed feed, brings the generator and the
/// analyzers; each has a readme; and the C# in the readmes is the code these consumers compile.
/// </summary>
public sealed partial class PackagesTests : IClassFixture<PackedPackage>
{
    private readonly PackedPackage _package;

    public PackagesTests(PackedPackage package) => _package = package;

    [Fact]
    public void Every_package_has_a_readme_and_the_satellites_keep_the_cores_build_logic_and_analyzers()
    {
        foreach (var package in PackedPackage.Packages)
        {
            using var archive = ZipFile.OpenRead(_package.PathOf(package));
            Assert.Contains(archive.Entries, entry => entry.FullName == "README.md");
            if (package == "IdentityGuard")
            {
                Assert.Contains(archive.Entries, entry => entry.FullName == "buildTransitive/IdentityGuard.props");
                Assert.Contains(archive.Entries, entry => entry.FullName == "buildTransitive/IdentityGuard.targets");
                continue;
            }

            // NuGet drops a dependency's analyzers and build logic unless the dependency says otherwise.
            var nuspec = archive.Entries.Single(entry => entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
            using var stream = nuspec.Open();
            var dependencies = XDocument.Load(stream).Descendants().Where(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "IdentityGuard").ToList();
            Assert.NotEmpty(dependencies);
            Assert.All(dependencies, dependency => Assert.Null(dependency.Attribute("exclude")));
        }
    }

    [Theory]
    [InlineData("AspNetCoreOnly")]
    [InlineData("PostgreSqlOnly")]
    public async Task A_project_referencing_one_satellite_alone_gets_the_generator_and_the_analyzers(string template)
    {
        var consumer = _package.CreateConsumerFrom(Path.Combine("Consumer", template), template);
        File.WriteAllText(Path.Combine(consumer, "identityguard.json"), ReadmeManifest());

        var build = await ProcessRunner.RunAsync("dotnet", ["build", "-c", "Release", "--disable-build-servers"], consumer, timeout: TimeSpan.FromMinutes(10));

        // Compiling at all proves the generator ran (AddIdentityGuard, ReportsScopes, WithReportsToken are generated).
        Assert.True(build.ExitCode == 0, $"The consumer did not build:\n{build.Output}");
        Assert.Matches(@"Leak\.cs\(\d+,\d+\): warning IG0002", build.Output);
    }

    /// <summary>The quick start's manifest, as the README shows it.</summary>
    private string ReadmeManifest() =>
        string.Join('\n', CodeBlocks(File.ReadAllText(Path.Combine(_package.RepositoryRoot, "README.md")), "json").First());

    /// <summary>The fenced blocks of one language, each without the indentation the Markdown list gave it.</summary>
    internal static List<string[]> CodeBlocks(string markdown, string language)
    {
        var blocks = new List<string[]>();
        foreach (Match match in Fence().Matches(markdown.Replace("\r\n", "\n", StringComparison.Ordinal)))
        {
            if (match.Groups["lang"].Value != language)
            {
                continue;
            }

            var indent = match.Groups["indent"].Value.Length;
            blocks.Add(match.Groups["body"].Value.Split('\n').Select(line => line.Length >= indent && string.IsNullOrWhiteSpace(line[..indent]) ? line[indent..] : line.TrimStart()).ToArray());
        }

        return blocks;
    }

    /// <summary>A line without its indentation, runs of spaces (comment alignment) as one.</summary>
    internal static string Normalize(string line) => Spaces().Replace(line.Trim(), " ");

    /// <summary>A <c>using</c> directive (not a using statement or declaration), judged without its trailing comment.</summary>
    internal static bool IsUsingDirective(string line)
    {
        var code = line.Split("//", 2)[0].TrimEnd();
        return code.StartsWith("using ", StringComparison.Ordinal) && code.EndsWith(';') && !code.Contains('(', StringComparison.Ordinal) && !code.Contains('=', StringComparison.Ordinal);
    }

    internal static bool ContainsRun(List<string> haystack, List<string> run)
    {
        for (var start = 0; start + run.Count <= haystack.Count; start++)
        {
            if (haystack.Skip(start).Take(run.Count).SequenceEqual(run, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^(?<indent>[ ]*)```(?<lang>[a-z]+)\n(?<body>.*?)\n[ ]*```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();
}
