using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Npgsql;
using Xunit;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: initdb into a fresh folder, started on a random loopback port with
/// its socket in that folder, stopped and deleted at the end. The server binaries come from
/// <c>IDENTITYGUARD_PG_BIN</c> or the Debian location of PostgreSQL 15. PostgreSQL refuses to run as root, so
/// under root every server command runs as the <c>postgres</c> user. Missing binaries fail the tests: CI installs
/// them, and a skipped store test would hide a broken store.
/// </summary>
public sealed class PostgreSqlCluster : IAsyncLifetime
{
    private const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";
    private string _root = string.Empty;
    private string _data = string.Empty;
    private string _bin = string.Empty;
    private bool _started;

    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>The newest Debian-style installation (/usr/lib/postgresql/&lt;version&gt;/bin), else the 15 default.</summary>
    private static string FindInstalledBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return DefaultBinDirectory;
        }

        var newest = Directory.GetDirectories(root)
            .Select(directory => (Directory: directory, Version: int.TryParse(Path.GetFileName(directory), out var version) ? version : -1))
            .Where(candidate => candidate.Version >= 0 && File.Exists(Path.Combine(candidate.Directory, "bin", "initdb")))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => Path.Combine(candidate.Directory, "bin"))
            .FirstOrDefault();
        return newest ?? DefaultBinDirectory;
    }

    public async Task InitializeAsync()
    {
        _bin = Environment.GetEnvironmentVariable("IDENTITYGUARD_PG_BIN") is { Length: > 0 } configured ? configured : FindInstalledBinDirectory();
        if (!File.Exists(Path.Combine(_bin, "initdb")) || !File.Exists(Path.Combine(_bin, "pg_ctl")))
        {
            throw new InvalidOperationException(
                $"PostgreSQL server binaries (initdb, pg_ctl) were not found in '{_bin}'. Install PostgreSQL 15 " +
                "(Debian: apt-get install -y postgresql-15) or point IDENTITYGUARD_PG_BIN at the folder holding initdb and pg_ctl.");
        }

        _root = Path.Combine(Path.GetTempPath(), "ig-pg-" + Guid.NewGuid().ToString("N")[..12]);
        _data = Path.Combine(_root, "data");
        Directory.CreateDirectory(_root);
        if (RunningAsRoot)
        {
            await RunAsync("chown", $"postgres \"{_root}\"", asPostgres: false);
        }

        var port = FreePort();
        await RunAsync(Path.Combine(_bin, "initdb"), $"-D \"{_data}\" -U postgres -A trust -E UTF8 --no-sync", asPostgres: true);

        // -F (no fsync) because the cluster is thrown away; the socket lives in the private folder, TCP on loopback only.
        await RunAsync(Path.Combine(_bin, "pg_ctl"), $"-D \"{_data}\" -l \"{Path.Combine(_root, "server.log")}\" -w -t 60 -o \"-k {_root} -p {port} -h 127.0.0.1 -F\" start", asPostgres: true);
        _started = true;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Maximum Pool Size=40;Timeout=15";

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
    }

    /// <summary>Creates an empty database in the cluster and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "ig_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name, MaxPoolSize = 10 }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_started)
        {
            try
            {
                await RunAsync(Path.Combine(_bin, "pg_ctl"), $"-D \"{_data}\" -m immediate -w stop", asPostgres: true);
            }
            catch (InvalidOperationException)
            {
                // Deleting the folder below still removes the cluster; a leftover process dies with its data.
            }
        }

        if (_root.Length > 0 && Directory.Exists(_root))
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static bool RunningAsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, string arguments, bool asPostgres)
    {
        var start = asPostgres && RunningAsRoot
            ? new ProcessStartInfo("su", ["postgres", "-s", "/bin/sh", "-c", $"\"{program}\" {arguments}"])
            : new ProcessStartInfo("/bin/sh", ["-c", $"\"{program}\" {arguments}"]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{Path.GetFileName(program)} {arguments}' failed with exit code {process.ExitCode}:\n{await output}\n{await error}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlClusterGroup : ICollectionFixture<PostgreSqlCluster>
{
    public const string Name = "PostgreSQL";
}
