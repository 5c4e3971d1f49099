using System.IO;
using System.Runtime.CompilerServices;

namespace IdentityGuard.Generators.Tests.Infrastructure;

/// <summary>Locates files of the repository from this source file, so tests can read and rewrite checked-in files.</summary>
internal static class RepositoryPaths
{
    public static string TestProject { get; } = Path.GetDirectoryName(InfrastructureDirectory())!;

    public static string Root { get; } = Path.GetFullPath(Path.Combine(TestProject, "..", ".."));

    public static string Snapshots => Path.Combine(TestProject, "Snapshots");

    public static string Manifests => Path.Combine(TestProject, "Manifests");

    public static string Schema => Path.Combine(Root, "generators", "IdentityGuard.Generators", "Schema", "identityguard.schema.json");

    public static string RuleDocs => Path.Combine(Root, "docs", "rules");

    private static string InfrastructureDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
