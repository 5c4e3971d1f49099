using System;
using System.Linq;
using System.Threading.Tasks;
using IdentityGuard.Package.Tests;
using Xunit;

namespace IdentityGuard.Analyzers.Package.Tests;

/// <summary>
/// Findings located in identityguard.json (IG0100 here; IG0001/IG0002 in the scanned JSON files behave alike) are
/// suppressed the ways the rule pages describe, in a consumer of the packed package. The compiler applies only
/// global settings to a diagnostic outside C# source, so an .editorconfig section cannot reach it.
/// </summary>
[Collection(SharedPackage.Name)]
public sealed class JsonFindingSuppressionTests
{
    private readonly PackedPackage _package;

    public JsonFindingSuppressionTests(PackedPackage package) => _package = package;

    [Fact]
    public async Task Findings_in_json_files_ignore_editorconfig_sections_and_IG0100_yields_to_a_globalconfig()
    {
        var consumer = ModesConsumer.Create(_package, "suppress-ig0100-globalconfig", mode: string.Empty);
        var manifestLine = consumer.LineOf("identityguard.json", "auth/drive\"");

        // A fake Stripe live key (IG0001) and a random client secret (IG0002) in appsettings.json, both built here
        // so that no secret scanner finds them in the repository.
        consumer.WriteFile("appsettings.json", "{\n  \"Billing\": {\n    \"Key\": \"" + "sk_" + "live_" + "HBMUAPTT0aZN0dnruqXa71P2" + "\",\n    \"ClientSecret\": \"" + "tD8vkQXRYO1NiJ7b" + "rD03q2YBV097shZX" + "\"\n  }\n}\n");
        consumer.WriteFile(".editorconfig", """
            root = true

            [identityguard.json]
            dotnet_diagnostic.IG0100.severity = none

            [*.json]
            dotnet_diagnostic.IG0001.severity = none
            dotnet_diagnostic.IG0002.severity = none
            """);

        var ignored = await consumer.BuildAsync();

        Assert.Contains($"IG0100 warning identityguard.json:{manifestLine}", ignored.Findings);
        Assert.Contains($"IG0001 error appsettings.json:{consumer.LineOf("appsettings.json", "\"Key\"")}", ignored.Findings);
        Assert.Contains($"IG0002 warning appsettings.json:{consumer.LineOf("appsettings.json", "\"ClientSecret\"")}", ignored.Findings);

        consumer.WriteFile(".globalconfig", """
            is_global = true

            # The admin agent needs full Drive access; its own client holds the grant.
            dotnet_diagnostic.IG0100.severity = none
            """);

        var suppressed = await consumer.BuildAsync();

        Assert.DoesNotContain(suppressed.Results, result => result.RuleId == "IG0100");
        Assert.Contains(suppressed.Results, result => result.RuleId == "IG0001" && result.File == "Program.cs");
    }

    [Fact]
    public async Task IG0100_in_the_manifest_is_suppressed_with_its_justification_by_an_assembly_SuppressMessage()
    {
        var consumer = ModesConsumer.Create(_package, "suppress-ig0100-attribute", mode: string.Empty);
        consumer.WriteFile("Suppressions.cs", """
            using System.Diagnostics.CodeAnalysis;

            [assembly: SuppressMessage("Security", "IG0100:Manifest declares an over-broad scope", Justification = "The admin agent needs full Drive access; its own client holds the grant.")]
            """);

        var build = await consumer.BuildAsync();

        var finding = Assert.Single(build.Results, result => result.RuleId == "IG0100");
        Assert.True(finding.Suppressed, "The SARIF log must keep the finding as suppressed");
        Assert.Equal("The admin agent needs full Drive access; its own client holds the grant.", finding.Justification);
        Assert.DoesNotMatch(@"warning IG0100", build.Output);
        Assert.Contains(build.Results, result => result.RuleId == "IG0001" && !result.Suppressed);
    }
}
