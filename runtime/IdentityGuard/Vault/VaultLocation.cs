using System;
using System.IO;
using System.Linq;

namespace IdentityGuard.Vault;

/// <summary>
/// Where the embedded vault keeps its state by default: one folder per workload under the user's local application
/// data folder, so two agents run by the same OS user never share a database or a key ring.
/// </summary>
internal static class VaultLocation
{
    /// <summary>The database file: the configured path, or <c>IdentityGuard/&lt;workload&gt;/vault.db</c>.</summary>
    public static string DatabasePathOf(IdentityGuardVaultOptions options, string? workload)
    {
        if (!string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            return Path.GetFullPath(options.DatabasePath);
        }

        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(root))
        {
            root = AppContext.BaseDirectory;
        }

        return Path.Combine(root, "IdentityGuard", FolderNameOf(workload), "vault.db");
    }

    /// <summary>The key-ring folder: the configured one, or <c>keys</c> next to the database file.</summary>
    public static string KeysDirectoryOf(IdentityGuardVaultOptions options, string? workload) =>
        string.IsNullOrWhiteSpace(options.KeysDirectory)
            ? Path.Combine(Path.GetDirectoryName(DatabasePathOf(options, workload)) ?? AppContext.BaseDirectory, "keys")
            : Path.GetFullPath(options.KeysDirectory);

    /// <summary>The workload name as a single, portable folder name (letters, digits, '.', '-', '_').</summary>
    internal static string FolderNameOf(string? workload)
    {
        var name = new string((workload ?? string.Empty).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()).Trim('.');
        return name.Length == 0 ? "default-workload" : name;
    }
}
