using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace IdentityGuard.Analyzers.Package.Tests;

/// <summary>The IdentityGuard results of a compiler SARIF 2.1 log: rule, file, line, the level the build gave them, and
/// whether (and why) a suppression attribute silenced them.</summary>
internal static class SarifLog
{
    public static IReadOnlyList<SarifResult> ReadIdentityGuardResults(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var run = document.RootElement.GetProperty("runs")[0];
        if (!run.TryGetProperty("results", out var results))
        {
            return [];
        }

        return results.EnumerateArray()
            .Where(result => result.GetProperty("ruleId").GetString()!.StartsWith("IG", StringComparison.Ordinal))
            .Select(result =>
            {
                var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
                var uri = new Uri(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!);

                // SARIF's default level is "warning" when a result leaves it out.
                var level = result.TryGetProperty("level", out var value) ? value.GetString()! : "warning";
                var suppression = result.TryGetProperty("suppressions", out var suppressions) && suppressions.GetArrayLength() > 0 ? suppressions[0] : (JsonElement?)null;
                return new SarifResult(
                    result.GetProperty("ruleId").GetString()!,
                    level,
                    Path.GetFileName(uri.LocalPath),
                    location.GetProperty("region").GetProperty("startLine").GetInt32(),
                    suppression is not null,
                    suppression is { } found && found.TryGetProperty("justification", out var justification) ? justification.GetString() : null);
            })
            .ToList();
    }
}

/// <summary>One result of a SARIF log.</summary>
internal sealed record SarifResult(string RuleId, string Level, string File, int Line, bool Suppressed, string? Justification);
