using System;
using System.Collections.Generic;
using System.IO;

namespace IdentityGuard.Scanner.Cli;

/// <summary>Parses <c>identityguard scan …</c>. Hand-written: five options do not justify a parser dependency in a tool that must start fast.</summary>
internal static class CommandLine
{
    public const string Usage = """
        Usage: identityguard scan <solution | project | folder> [options]

        Runs every IdentityGuard rule on C# code that need not reference the IdentityGuard package.
        Projects that load with MSBuild are analyzed as they build; the others (no project file, or a
        project that does not restore) get a syntax-and-metadata pass against the .NET shared framework.

        Options:
          --sarif <file>                  Write a SARIF 2.1.0 log to <file>.
          --severity-threshold <level>    error | warning (default) | note | none: the lowest level of a
                                          finding that makes the exit code 1 (none: never).
          --restore                       Run 'dotnet restore' on each project before loading it.
          --srcroot <folder>              Folder SARIF paths are relative to (default: the enclosing git
                                          repository, else the scanned folder).
          -p, --property <name>=<value>   MSBuild property for loading projects (repeatable),
                                          e.g. -p Configuration=Release.
          -h, --help                      Show this help.
          --version                       Show the tool's version.

        Exit codes: 0 no finding at or above the threshold, 1 findings at or above it, 2 usage or load error.
        """;

    /// <summary>Reads the arguments; on failure <paramref name="error"/> says why and the result is null.</summary>
    public static ScanOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        if (args.Count == 0 || args[0] != "scan")
        {
            error = args.Count == 0 ? "No command given." : $"Unknown command '{args[0]}'.";
            return null;
        }

        string? target = null, sarif = null, sourceRoot = null;
        var threshold = Severity.Warning;
        var restore = false;
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--sarif":
                    if (!TryValue(args, ref i, arg, out sarif, out error))
                    {
                        return null;
                    }

                    break;
                case "--severity-threshold":
                    if (!TryValue(args, ref i, arg, out var level, out error))
                    {
                        return null;
                    }

                    if (!Severities.TryParseThreshold(level, out threshold))
                    {
                        error = $"--severity-threshold must be error, warning, note or none; got '{level}'.";
                        return null;
                    }

                    break;
                case "--restore":
                    restore = true;
                    break;
                case "--srcroot":
                    if (!TryValue(args, ref i, arg, out sourceRoot, out error))
                    {
                        return null;
                    }

                    break;
                case "-p":
                case "--property":
                    if (!TryValue(args, ref i, arg, out var property, out error))
                    {
                        return null;
                    }

                    var equals = property.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        error = $"{arg} takes name=value; got '{property}'.";
                        return null;
                    }

                    properties[property[..equals]] = property[(equals + 1)..];
                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        error = $"Unknown option '{arg}'.";
                        return null;
                    }

                    if (target is not null)
                    {
                        error = $"Only one solution, project or folder can be scanned; got '{target}' and '{arg}'.";
                        return null;
                    }

                    target = arg;
                    break;
            }
        }

        if (target is null)
        {
            error = "Name the solution, project file or folder to scan.";
            return null;
        }

        var fullTarget = Path.GetFullPath(target);
        if (!File.Exists(fullTarget) && !Directory.Exists(fullTarget))
        {
            error = $"'{target}' does not exist.";
            return null;
        }

        var targetFolder = Directory.Exists(fullTarget) ? fullTarget : Path.GetDirectoryName(fullTarget)!;
        if (sourceRoot is not null && !Directory.Exists(sourceRoot))
        {
            error = $"--srcroot '{sourceRoot}' is not a folder.";
            return null;
        }

        return new ScanOptions(
            fullTarget,
            sarif is null ? null : Path.GetFullPath(sarif),
            threshold,
            Path.GetFullPath(sourceRoot ?? FindRepositoryRoot(targetFolder) ?? targetFolder),
            restore,
            properties);
    }

    private static bool TryValue(IReadOnlyList<string> args, ref int i, string option, out string value, out string? error)
    {
        if (i + 1 >= args.Count || args[i + 1].Length == 0)
        {
            value = string.Empty;
            error = $"{option} needs a value.";
            return false;
        }

        value = args[++i];
        error = null;
        return true;
    }

    /// <summary>The nearest folder at or above <paramref name="folder"/> holding .git: code scanning expects paths from there.</summary>
    private static string? FindRepositoryRoot(string folder)
    {
        for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, ".git")) || File.Exists(Path.Combine(directory.FullName, ".git")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
