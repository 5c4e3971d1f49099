using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Scanner.Analysis;
using IdentityGuard.Scanner.Cli;
using IdentityGuard.Scanner.Discovery;
using IdentityGuard.Scanner.Reporting;

namespace IdentityGuard.Scanner;

/// <summary>The <c>identityguard</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command; the return value is the process exit code (0 clean, 1 findings, 2 usage or load error).</summary>
    /// <param name="args">The command line.</param>
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is ["--help" or "-h" or "help"] or ["scan", "--help" or "-h"])
        {
            Console.Out.WriteLine(CommandLine.Usage);
            return ExitCodes.Clean;
        }

        if (args is ["--version"])
        {
            Console.Out.WriteLine(IdentityGuardRules.Version);
            return ExitCodes.Clean;
        }

        var options = CommandLine.Parse(args, out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync("error: " + error).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(CommandLine.Usage).ConfigureAwait(false);
            return ExitCodes.LoadError;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        ScanReport report;
        try
        {
            Console.Out.WriteLine($"identityguard scan {options.Target}");
            report = await Analysis.Scanner.RunAsync(options, Console.Out, cancel.Token).ConfigureAwait(false);
        }
        catch (ScanTargetException exception)
        {
            await Console.Error.WriteLineAsync("error: " + exception.Message).ConfigureAwait(false);
            return ExitCodes.LoadError;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("error: the scan was cancelled.").ConfigureAwait(false);
            return ExitCodes.LoadError;
        }

        ConsoleSummary.Write(report, Console.Out);
        if (options.SarifPath is not null)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(options.SarifPath)!);
                await using var stream = File.Create(options.SarifPath);
                SarifWriter.Write(report, stream);
                Console.Out.WriteLine($"SARIF log: {options.SarifPath}");
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"error: the SARIF log could not be written: {exception.Message}").ConfigureAwait(false);
                return ExitCodes.LoadError;
            }
        }

        return report.ExitCode;
    }
}
