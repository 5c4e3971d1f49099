using System;
using System.IO;
using System.Linq;
using Xunit;

namespace IdentityGuard.Package.Tests;

/// <summary>The C# in the README, the package readmes and docs/mcp.md is code that compiles, word for word.</summary>
public sealed class ReadmeSnippetTests
{
    [Theory]
    [InlineData("README.md", "tests/IdentityGuard.Package.Tests/Consumer/AspNetCoreOnly;samples/McpCrmServer;samples/ScrubbingChatAgent")]
    [InlineData("docs/scrubbing.md", "samples/ScrubbingChatAgent")]
    [InlineData("runtime/IdentityGuard.Extensions.AI/README.md", "samples/ScrubbingChatAgent")]
    [InlineData("runtime/IdentityGuard.AspNetCore/README.md", "tests/IdentityGuard.Package.Tests/Consumer/AspNetCoreOnly")]
    [InlineData("runtime/IdentityGuard.Vault.PostgreSql/README.md", "tests/IdentityGuard.Package.Tests/Consumer/PostgreSqlOnly")]
    [InlineData("runtime/IdentityGuard.Mcp/README.md", "samples/McpCrmServer")]
    [InlineData("docs/mcp.md", "samples/McpCrmServer")]
    public void The_readme_snippets_are_the_code_a_consumer_compiles(string readme, string compiledFolder)
    {
        // The consumer templates are built from the packed feed by PackagesTests; the samples are built with the solution.
        var compiled = compiledFolder.Split(';')
            .SelectMany(folder => Directory.GetFiles(Path.Combine(PackedPackage.FindRepositoryRoot(), folder)))
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".cs.template", StringComparison.Ordinal))
            .SelectMany(File.ReadAllLines)
            .Select(PackagesTests.Normalize)
            .Where(line => line.Length > 0 && !line.StartsWith("///", StringComparison.Ordinal)) // a snippet may leave out XML docs
            .ToList();
        var blocks = PackagesTests.CodeBlocks(File.ReadAllText(Path.Combine(PackedPackage.FindRepositoryRoot(), readme)), "csharp");
        Assert.NotEmpty(blocks);

        foreach (var block in blocks)
        {
            var lines = block.Select(PackagesTests.Normalize).Where(line => line.Length > 0).ToList();
            foreach (var directive in lines.Where(PackagesTests.IsUsingDirective))
            {
                Assert.Contains(directive, compiled);
            }

            var body = lines.Where(line => !PackagesTests.IsUsingDirective(line)).ToList();
            Assert.True(PackagesTests.ContainsRun(compiled, body), $"{readme}: this snippet is not in {compiledFolder} as written:\n{string.Join('\n', block)}");
        }
    }

}
