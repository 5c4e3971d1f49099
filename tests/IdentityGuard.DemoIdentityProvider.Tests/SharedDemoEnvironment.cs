using Xunit;

namespace IdentityGuard.Demo.Tests;

/// <summary>
/// All classes share one <see cref="DemoEnvironment"/>: server start-up and first-request warm-up dominate the run,
/// and sequential classes also keep the counter assertions free of interference.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedDemoEnvironment : ICollectionFixture<DemoEnvironment>
{
    public const string Name = "Demo environment";
}
