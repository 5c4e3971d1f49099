using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// One agent instance as a child process, with its output kept for failure messages. The test talks to it only to see
/// that it is ready; everything else goes through the front.
/// </summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _refreshHanging = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpClient _http;

    private AgentProcess(string name, Uri address, Process process, bool hangs)
    {
        Name = name;
        Address = address;
        Hangs = hangs;
        _process = process;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(90) };
    }

    public string Name { get; }

    public Uri Address { get; }

    public bool Hangs { get; }

    /// <summary>Completes when the instance has started a refresh that will never finish.</summary>
    public Task RefreshHanging => _refreshHanging.Task;

    public string Output => string.Join(Environment.NewLine, _output);

    public static AgentProcess Start(string name, Uri address, IReadOnlyDictionary<string, string> settings, bool hangs)
    {
        // The SDK tells test hosts which dotnet runs them; the agents run on the same one.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet, [HostAssembly()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(HostAssembly())!,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var agent = new AgentProcess(name, address, process, hangs);
        process.OutputDataReceived += (_, e) => agent.Record(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri("health", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Name} did not become ready within {timeout}:\n{Output}");
    }

    /// <summary>kill -9: no shutdown, no lease release.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _http.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (line.Contains("refresh started and hanging", StringComparison.Ordinal))
        {
            _refreshHanging.TrySetResult();
        }
    }

    /// <summary>The host program, built next to this test project with the same configuration.</summary>
    private static string HostAssembly()
    {
        // .../tests/IdentityGuard.Vault.Tests/bin/<Configuration>/net10.0/ → .../tests/IdentityGuard.ScaleOut.Host/bin/<Configuration>/net10.0/
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var tests = testOutput.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, "IdentityGuard.ScaleOut.Host", "bin", configuration, framework, "IdentityGuard.ScaleOut.Host.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The scale-out host was not built; build the test project (it references the host).", path);
    }
}
