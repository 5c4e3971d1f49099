using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Threading.Tasks;

namespace DelegatedFinanceLookup;

/// <summary>Starts this executable again in <c>finance-agent</c> mode, waits until it listens, and collects its audit lines.</summary>
internal sealed class FinanceAgentProcess : IAsyncDisposable
{
    private readonly Process _process;

    private FinanceAgentProcess(Process process) => _process = process;

    public Uri Address { get; private set; } = null!;

    /// <summary>The audit events the finance agent printed, in order.</summary>
    public ConcurrentQueue<string> AuditLines { get; } = new();

    public static async Task<FinanceAgentProcess> StartAsync(Landscape landscape, string dataDirectory)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Run as an app host (dotnet run) or through the dotnet host (dotnet X.dll, test runners).
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        var assembly = Assembly.GetExecutingAssembly().Location;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase) || !Path.GetFileNameWithoutExtension(self).Equals(Path.GetFileNameWithoutExtension(assembly), StringComparison.OrdinalIgnoreCase))
        {
            start.FileName = "dotnet";
            start.ArgumentList.Add(assembly);
        }
        else
        {
            start.FileName = self;
        }

        start.ArgumentList.Add("finance-agent");

        // Settings (the secret included) go through the environment, never the command line others can list.
        start.Environment["FinanceAgent__DiscoveryUrl"] = landscape.IdentityProvider.DiscoveryUrl.ToString();
        start.Environment["FinanceAgent__FinanceApi"] = landscape.FinanceApiAddress.ToString();
        start.Environment["FinanceAgent__ClientSecret"] = landscape.FinanceAgentSecret;
        start.Environment["IdentityGuard__Vault__DatabasePath"] = Path.Combine(dataDirectory, "finance-agent", "vault.db");

        var process = Process.Start(start) ?? throw new InvalidOperationException("The finance agent did not start.");
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var agent = new FinanceAgentProcess(process);
        var errors = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                errors.Enqueue(e.Data);
            }
        };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("The finance agent exited before it was ready: " + string.Join(Environment.NewLine, errors)));
            }
            else if (e.Data.StartsWith(FinanceAgentHost.ReadyPrefix, StringComparison.Ordinal))
            {
                ready.TrySetResult(new Uri(e.Data[FinanceAgentHost.ReadyPrefix.Length..]));
            }
            else if (e.Data.StartsWith("audit ", StringComparison.Ordinal))
            {
                agent.AuditLines.Enqueue(e.Data["audit ".Length..]);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            agent.Address = await ready.Task.WaitAsync(TimeSpan.FromMinutes(2));
            return agent;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Closing its standard input asks it to stop; it is ended only if it does not.
        _process.StandardInput.Close();
        using var wait = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
