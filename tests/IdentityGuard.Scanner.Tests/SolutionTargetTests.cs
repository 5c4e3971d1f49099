using System;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Scanner.Tests;

/// <summary>Solutions as targets (.sln and .slnx), and projects nobody restored.</summary>
public sealed class SolutionTargetTests
{
    private const string Slnx = """
        <Solution>
          <Folder Name="/src/">
            <Project Path="Payments/Payments.csproj" />
            <Project Path="Legacy\Legacy.csproj" />
          </Folder>
        </Solution>
        """;

    private const string Sln = """
        Microsoft Visual Studio Solution File, Format Version 12.00
        Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "Payments", "Payments\Payments.csproj", "{4C2F5B0E-8D0A-4C53-9F51-3C1C3E0B8A11}"
        EndProject
        Project("{2150E333-8FDC-42A3-9474-1A3956D46DE8}") = "docs", "docs", "{0B7E9E43-6C4B-4E0A-9C5E-3B8F5D1A2C22}"
        EndProject
        """;

    [Theory]
    [InlineData("Mixed.slnx", true)]
    [InlineData("Mixed.sln", false)]
    public async Task A_solution_scans_the_projects_it_lists_and_says_which_were_not_restored(string solution, bool listsLegacy)
    {
        var root = ScannerTool.NewTemporaryFolder("solution");
        try
        {
            ScannerTool.CopyFixture("MixedRepository", root);
            await File.WriteAllTextAsync(Path.Combine(root, "Mixed.slnx"), Slnx);
            await File.WriteAllTextAsync(Path.Combine(root, "Mixed.sln"), Sln);

            // Nothing restored the copy: a design-time build would load it without its packages and report no
            // failure, so the scanner must see that for itself and fall back.
            var run = await ScannerTool.RunAsync(root, "scan", Path.Combine(root, solution));
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains("Payments/Payments.csproj: syntax-only (not restored: no project.assets.json", run.Output, StringComparison.Ordinal);
            Assert.Equal(listsLegacy, run.Output.Contains("Legacy/Legacy.csproj: syntax-only (not restored", StringComparison.Ordinal));
            Assert.DoesNotContain("Scripts/", run.Output, StringComparison.Ordinal);
            Assert.Contains($"Scanned {(listsLegacy ? 2 : 1)} unit", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            ScannerTool.DeleteQuietly(root);
        }
    }
}
