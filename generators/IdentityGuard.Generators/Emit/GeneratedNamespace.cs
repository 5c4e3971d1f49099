using IdentityGuard.ManifestContract;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IdentityGuard.Generators.Emit;

/// <summary>Chooses the namespace of the generated code from MSBuild properties.</summary>
internal static class GeneratedNamespace
{
    public const string Default = "IdentityGuard.Generated";

    /// <summary>
    /// <c>IdentityGuardNamespace</c>, else <c>RootNamespace</c>, else <see cref="Default"/>; a value that is not a
    /// valid dotted C# name is skipped rather than emitted as code that cannot compile.
    /// </summary>
    public static string Resolve(AnalyzerConfigOptions options)
    {
        foreach (var property in new[] { "build_property.IdentityGuardNamespace", "build_property.RootNamespace" })
        {
            if (options.TryGetValue(property, out var value) && IsValid(value.Trim()))
            {
                return value.Trim();
            }
        }

        return Default;
    }

    public static bool IsValid(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (var part in value.Split('.'))
        {
            // 'global' would turn 'global::global.X' into nonsense; the other rules are the identifier rules.
            if (part == "global" || NameRules.IdentifierProblem(part) is not null)
            {
                return false;
            }
        }

        return true;
    }
}
