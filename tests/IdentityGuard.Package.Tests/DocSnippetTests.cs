using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace IdentityGuard.Package.Tests;

/// <summary>
/// Every C# block of every page in docs/ (the rule pages in docs/rules/ show flagged code on purpose; the analyzer
/// tests own them) is code the test suite compiles, word for word. A block either appears in
/// the compiled sources (samples, the package consumer templates, tests/IdentityGuard.DocSnippets), or is a fragment
/// marked with <c>&lt;!-- fragment: path --&gt;</c> on the line before its fence: then it must appear in that file,
/// which wraps it in what it takes from its surroundings (a builder, a token, a cancellation token).
/// </summary>
public sealed partial class DocSnippetTests
{
    /// <summary>Folders whose C# the test suite compiles: the solution builds the samples and DocSnippets, PackagesTests the consumers.</summary>
    private static readonly string[] CompiledFolders =
    [
        "samples",
        "tests/IdentityGuard.Package.Tests/Consumer",
        "tests/IdentityGuard.Package.Tests/McpConsumer",
        "tests/IdentityGuard.DocSnippets",
    ];

    public static TheoryData<string> Pages()
    {
        var root = PackedPackage.FindRepositoryRoot();
        return new(Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.TopDirectoryOnly)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_csharp_block_is_compiled_as_written(string page)
    {
        var root = PackedPackage.FindRepositoryRoot();
        var markdown = File.ReadAllText(Path.Combine(root, page)).Replace("\r\n", "\n", StringComparison.Ordinal);
        var everything = new Lazy<List<string>>(() => CompiledLines(CompiledFolders.SelectMany(folder => SourceFiles(Path.Combine(root, folder)))));

        foreach (var block in Blocks(markdown))
        {
            List<string> compiled;
            string where;
            if (block.Fragment is { } fragment)
            {
                var file = Path.Combine(root, fragment);
                Assert.True(File.Exists(file), $"{page}: the fragment marker names {fragment}, which does not exist.");
                Assert.True(CompiledFolders.Any(folder => fragment.StartsWith(folder + "/", StringComparison.Ordinal)), $"{page}: {fragment} is not in a compiled folder.");
                compiled = CompiledLines([file]);
                where = fragment;
            }
            else
            {
                compiled = everything.Value;
                where = string.Join(", ", CompiledFolders);
            }

            var lines = block.Lines.Select(PackagesTests.Normalize).Where(line => line.Length > 0).ToList();
            foreach (var directive in lines.Where(PackagesTests.IsUsingDirective))
            {
                Assert.True(compiled.Contains(directive), $"{page}: '{directive}' is not in {where}.");
            }

            var body = lines.Where(line => !PackagesTests.IsUsingDirective(line)).ToList();
            Assert.True(PackagesTests.ContainsRun(compiled, body), $"{page}: this block is not in {where} as written:\n{string.Join('\n', block.Lines)}");
        }
    }

    [Fact]
    public void The_check_finds_the_blocks_and_their_markers_and_refuses_a_changed_block()
    {
        const string Page = """
            Text.

            <!-- fragment: tests/IdentityGuard.DocSnippets/Vault.cs -->
            ```csharp
            services.AddIdentityGuardVault(configuration);
            ```

              ```csharp
              var x = 1;
              ```
            """;
        var blocks = Blocks(Page.Replace("\r\n", "\n", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, blocks.Count);
        Assert.Equal("tests/IdentityGuard.DocSnippets/Vault.cs", blocks[0].Fragment);
        Assert.Null(blocks[1].Fragment);
        Assert.Equal(["var x = 1;"], blocks[1].Lines);

        // A block that differs from the compiled code by one token is not found.
        var vault = CompiledLines([Path.Combine(PackedPackage.FindRepositoryRoot(), "tests/IdentityGuard.DocSnippets/Vault.cs")]);
        Assert.True(PackagesTests.ContainsRun(vault, ["services.AddIdentityGuardVault(configuration); // SQLite + private key ring"]));
        Assert.False(PackagesTests.ContainsRun(vault, ["services.AddIdentityGuardVault(configuration, 1); // SQLite + private key ring"]));
    }

    private sealed record Block(string? Fragment, string[] Lines);

    private static IEnumerable<Block> Blocks(string markdown)
    {
        foreach (Match match in Fence().Matches(markdown))
        {
            var indent = match.Groups["indent"].Value.Length;
            var lines = match.Groups["body"].Value.Split('\n')
                .Select(line => line.Length >= indent && string.IsNullOrWhiteSpace(line[..indent]) ? line[indent..] : line.TrimStart())
                .ToArray();
            yield return new Block(match.Groups["fragment"].Success ? match.Groups["fragment"].Value : null, lines);
        }
    }

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".cs.template", StringComparison.Ordinal))
            .Where(file => !file.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    private static List<string> CompiledLines(IEnumerable<string> files) =>
        files.SelectMany(File.ReadAllLines)
            .Select(PackagesTests.Normalize)
            .Where(line => line.Length > 0 && !line.StartsWith("///", StringComparison.Ordinal)) // a block may leave out XML docs
            .ToList();

    [GeneratedRegex(@"(?:^[ ]*<!-- fragment: (?<fragment>\S+) -->\n)?^(?<indent>[ ]*)```csharp\n(?<body>.*?)\n[ ]*```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();
}
