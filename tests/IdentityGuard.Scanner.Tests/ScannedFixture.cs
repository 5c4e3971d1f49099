using System;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Scanner.Tests;

/// <summary>
/// Fixtures/MixedRepository copied to a temporary folder and scanned once with <c>--restore</c> and a SARIF log,
/// shared by the tests that read the result.
/// </summary>
public sealed class ScannedFixture : IAsyncLifetime
{
    public string Root { get; } = ScannerTool.NewTemporaryFolder("fixture");

    public string SarifPath => Path.Combine(Root, "..", Path.GetFileName(Root) + ".sarif");

    internal ScanRun Run { get; private set; } = new(-1, string.Empty);

    public JsonDocument Sarif { get; private set; } = JsonDocument.Parse("{}");

    public string SarifText { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        ScannerTool.CopyFixture("MixedRepository", Root);
        Run = await ScannerTool.RunAsync(Root, "scan", Root, "--restore", "--sarif", SarifPath);
        Assert.True(File.Exists(SarifPath), $"No SARIF log was written:\n{Run}");
        SarifText = await File.ReadAllTextAsync(SarifPath);
        Sarif = JsonDocument.Parse(SarifText);
    }

    public Task DisposeAsync()
    {
        Sarif.Dispose();
        ScannerTool.DeleteQuietly(Root);
        if (File.Exists(SarifPath))
        {
            File.Delete(SarifPath);
        }

        return Task.CompletedTask;
    }
}
