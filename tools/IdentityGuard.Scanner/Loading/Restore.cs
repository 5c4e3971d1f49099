using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace IdentityGuard.Scanner.Loading;

/// <summary><c>dotnet restore</c> of one project, for <c>--restore</c>: MSBuildWorkspace reads what a restore wrote and never restores itself.</summary>
internal static class Restore
{
    /// <summary>Null when the restore succeeded, else the first error it printed.</summary>
    public static async Task<string?> RunAsync(string projectPath, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("restore");
        info.ArgumentList.Add(projectPath);
        info.ArgumentList.Add("--nologo");
        info.ArgumentList.Add("--disable-build-servers");
        foreach (var (name, value) in properties)
        {
            info.ArgumentList.Add($"-p:{name}={value}");
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return "dotnet could not be started: " + exception.Message;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return "dotnet restore did not finish within 10 minutes";
        }

        process.WaitForExit();
        if (process.ExitCode == 0)
        {
            return null;
        }

        string text;
        lock (output)
        {
            text = output.ToString();
        }

        var error = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains(": error ", StringComparison.Ordinal));
        return "dotnet restore failed" + (error is null ? $" (exit code {process.ExitCode})" : ": " + ErrorText(error));
    }

    /// <summary>"path(1,2): error NU1101: text [project]" → "NU1101: text".</summary>
    private static string ErrorText(string line)
    {
        var start = line.IndexOf(": error ", StringComparison.Ordinal) + ": error ".Length;
        var text = line[start..];
        var project = text.LastIndexOf(" [", StringComparison.Ordinal);
        return project > 0 ? text[..project] : text;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
