using System;
using System.IO;

namespace IdentityGuard.Vault;

/// <summary>
/// The vault's folders (database, key ring) hold what decrypts or replays every stored token. They are created
/// readable and writable by the owner only, and an existing one that other users can write to is refused: whoever can
/// write there can plant a key ring the vault would then use, or swap the database.
/// </summary>
internal static class PrivateFolder
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
    private const UnixFileMode ReadableByOthers = UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>
    /// Creates <paramref name="path"/> owner-only if missing; refuses it if other users can write to it, or, when
    /// <paramref name="secretContents"/> (a key ring stored unencrypted), read it.
    /// </summary>
    /// <param name="path">The folder.</param>
    /// <param name="what">What it holds, for the error message.</param>
    /// <param name="secretContents">Whether reading the folder alone gives away secrets.</param>
    public static void Ensure(string path, string what, bool secretContents = false)
    {
        if (OperatingSystem.IsWindows())
        {
            // ACLs, not mode bits: a folder under the user profile is private to the user by inheritance.
            Directory.CreateDirectory(path);
            return;
        }

        if (!Directory.Exists(path))
        {
            // Every missing level gets the owner-only mode, not just the last one.
            Directory.CreateDirectory(path, OwnerOnly);
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & WritableByOthers) != 0)
        {
            throw new InvalidOperationException(
                $"The IdentityGuard {what} folder '{path}' can be written by other users (mode {Convert.ToString((int)mode, 8)}), who could plant keys or swap "
                + $"the database it holds. Restrict it to its owner (chmod 700 '{path}') or point IdentityGuard:Vault at a private folder.");
        }

        if (secretContents && (mode & ReadableByOthers) != 0)
        {
            throw new InvalidOperationException(
                $"The IdentityGuard {what} folder '{path}' can be read by other users (mode {Convert.ToString((int)mode, 8)}), who could copy the keys that decrypt "
                + $"every stored token. Restrict it to its owner (chmod 700 '{path}') or point IdentityGuard:Vault at a private folder.");
        }
    }

    /// <summary>Creates <paramref name="file"/> empty and owner-only (read and write) if it does not exist yet.</summary>
    public static void CreateOwnerOnlyFile(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (File.Exists(file))
        {
            // A database made before files were created owner-only: tighten it (the WAL follows on its next creation).
            var mode = File.GetUnixFileMode(file);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                File.SetUnixFileMode(file, mode & (UnixFileMode.UserRead | UnixFileMode.UserWrite));
            }

            return;
        }

        try
        {
            using var created = new FileStream(file, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process created it first; SQLite opens it either way.
        }
    }
}
