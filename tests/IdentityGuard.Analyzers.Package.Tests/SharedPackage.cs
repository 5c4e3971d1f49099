using IdentityGuard.Package.Tests;
using Xunit;

namespace IdentityGuard.Analyzers.Package.Tests;

/// <summary>Every test class here builds consumers of one packed package: packing is the slow part, so it happens once.</summary>
[CollectionDefinition(Name)]
public sealed class SharedPackage : ICollectionFixture<PackedPackage>
{
    public const string Name = "packed package";
}
