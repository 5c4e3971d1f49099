using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Package.Tests;

/// <summary>
/// The public API is frozen: building a shipped project with a public member its PublicAPI files do not declare, or
/// with a declared member that no longer exists, fails. The real project is built (its own PublicAPI files, the
/// repository's build settings) into a private artifacts folder, with one change slipped in through MSBuild's
/// <c>CustomAfterMicrosoftCommonTargets</c> hook, so the repository is never touched.
/// </summary>
public sealed class PublicApiTests : IDisposable
{
    private const string Project = "IdentityGuard.Vault.PostgreSql";

    private readonly string _work = Path.Combine(Path.GetTempPath(), "identityguard-public-api-tests", Guid.NewGuid().ToString("N"));

    public PublicApiTests() => Directory.CreateDirectory(_work);

    [Fact]
    public void Every_shipped_assembly_declares_its_public_api()
    {
        var repository = PackedPackage.FindRepositoryRoot();
        foreach (var package in PackedPackage.Packages)
        {
            foreach (var file in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
            {
                var path = Path.Combine(repository, "runtime", package, file);
                Assert.True(File.Exists(path), $"{package} has no {file}");
                Assert.Equal("#nullable enable", File.ReadLines(path).First()); // nullability is part of the declared API
            }

            // Nothing is released yet, so the whole surface is Unshipped; a package with no public API would be odd.
            Assert.Contains(File.ReadLines(Path.Combine(repository, "runtime", package, "PublicAPI.Unshipped.txt")), line => line.StartsWith(package + ".", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_undeclared_public_member_fails_the_build_with_RS0016()
    {
        var source = Path.Combine(_work, "Unreviewed.cs");
        File.WriteAllText(source, """
            namespace IdentityGuard.Vault.PostgreSql;

            /// <summary>A public type added without updating PublicAPI.Unshipped.txt.</summary>
            public static class UnreviewedAddition
            {
                /// <summary>A public method nobody reviewed.</summary>
                /// <returns>One.</returns>
                public static int Added() => 1;
            }
            """);

        var (exitCode, output) = await BuildWith($"""
            <ItemGroup Condition="'$(MSBuildProjectName)' == '{Project}'">
              <Compile Include="{source}" />
            </ItemGroup>
            """);

        Assert.True(exitCode != 0, $"The build accepted an undeclared public API:\n{output}");
        Assert.Matches(@"error RS0016: Symbol 'IdentityGuard\.Vault\.PostgreSql\.UnreviewedAddition' is not part of the declared public API", output);
        Assert.Matches(@"error RS0016: Symbol 'static IdentityGuard\.Vault\.PostgreSql\.UnreviewedAddition\.Added\(\) -> int' is not part of the declared public API", output);
    }

    [Fact]
    public async Task A_declared_member_that_is_gone_fails_the_build_with_RS0017()
    {
        // The project's own Unshipped file plus one line for a member that does not exist, as when a member is removed
        // or renamed and the file is not updated.
        var declared = Path.Combine(_work, "PublicAPI.Unshipped.txt");
        var repository = PackedPackage.FindRepositoryRoot();
        File.WriteAllText(declared, File.ReadAllText(Path.Combine(repository, "runtime", Project, "PublicAPI.Unshipped.txt")).TrimEnd() +
            "\nIdentityGuard.Vault.PostgreSql.PostgreSqlGrantStore.RemovedMember() -> void\n");

        var (exitCode, output) = await BuildWith($"""
            <Target Name="UseTheTestsPublicApiFile" BeforeTargets="CoreCompile" Condition="'$(MSBuildProjectName)' == '{Project}'">
              <ItemGroup>
                <AdditionalFiles Remove="@(AdditionalFiles)" Condition="'%(Filename)%(Extension)' == 'PublicAPI.Unshipped.txt'" />
                <AdditionalFiles Include="{declared}" />
              </ItemGroup>
            </Target>
            """);

        Assert.True(exitCode != 0, $"The build accepted a declared API that does not exist:\n{output}");
        Assert.Matches(@"error RS0017: Symbol 'IdentityGuard\.Vault\.PostgreSql\.PostgreSqlGrantStore\.RemovedMember\(\) -> void' is part of the declared API, but is either not public or could not be found", output);
        Assert.DoesNotContain("error RS0016", output, StringComparison.Ordinal); // the rest of the file still matches the code
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; a failing cleanup must not hide a test result.
        }
    }

    /// <summary>Builds the shipped project for net10.0 with <paramref name="injected"/> imported after its targets.</summary>
    private async Task<(int ExitCode, string Output)> BuildWith(string injected)
    {
        var targets = Path.Combine(_work, "inject.targets");
        File.WriteAllText(targets, "<Project>\n" + injected + "\n</Project>\n");
        var repository = PackedPackage.FindRepositoryRoot();
        return await ProcessRunner.RunAsync(
            "dotnet",
            [
                "build", Path.Combine(repository, "runtime", Project, Project + ".csproj"),
                "-c", "Release", "-f", "net10.0",
                $"-p:CustomAfterMicrosoftCommonTargets={targets}",

                // Its own output folders, so this build never touches the one running these tests.
                "--artifacts-path", Path.Combine(_work, "artifacts"),
                "--disable-build-servers",
            ],
            repository,
            timeout: TimeSpan.FromMinutes(15));
    }
}
