using System;
using System.Linq;
using System.Threading.Tasks;
using IdentityGuard.Package.Tests;
using Xunit;

namespace IdentityGuard.Analyzers.Package.Tests;

/// <summary>
/// Findings located in identityguard.json (IG0100 here) are suppressed the way docs/rules/IG0100.md says, in a
/// consumer of the packed package.
/// </summary>
[Collection(SharedPackage.Name)]
public sealed class JsonFindingSuppressionTests
{
    private readonly PackedPackage _package;

    public JsonFindingSuppressionTests(PackedPackage package) => _package = package;

    [Fact]
    public async Task IG0100_in_the_manifest_is_suppressed_by_a_section_for_the_manifest()
    {
        var consumer = ModesConsumer.Create(_package, "suppress-ig0100", mode: string.Empty);
        consumer.WriteFile(".editorconfig", """
            root = true

            [identityguard.json]
            # The admin agent needs full Drive access; its own client holds the grant.
            dotnet_diagnostic.IG0100.severity = none
            """);

        var build = await consumer.BuildAsync();

        Assert.DoesNotContain(build.Results, result => result.RuleId == "IG0100");
        Assert.Contains(build.Results, result => result.RuleId == "IG0001");
    }
}
