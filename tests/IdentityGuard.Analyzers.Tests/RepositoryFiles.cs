using System;
using System.IO;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>Finds the repository root from the test's output folder, wherever the clone lives.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] relative) => Path.Combine(Root, Path.Combine(relative));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IdentityGuard.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (IdentityGuard.sln) was not found above the test output folder.");
    }
}
