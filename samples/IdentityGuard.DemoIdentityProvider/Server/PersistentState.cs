using System;
using System.IO;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.IdentityModel.Tokens;

namespace IdentityGuard.Demo.Server;

/// <summary>
/// The files a server with <see cref="DemoIdentityProviderOptions.DataDirectory"/> keeps: the SQLite store and the
/// RSA keys that sign and encrypt its tokens. Keys are created once and reloaded on later starts, because a restarted
/// server with new keys could neither decrypt its own refresh tokens nor have its old access tokens accepted.
/// </summary>
/// <remarks>
/// The RSA objects are deliberately never disposed: Microsoft.IdentityModel caches signature providers process-wide by
/// key thumbprint, so a disposed key would break every later server (or resource server) in the same process that uses
/// the same key material, e.g. a test that restarts the server in-process.
/// </remarks>
internal sealed class PersistentState
{
    private const string DatabaseFileName = "identity-provider.db";
    private const string SigningKeyFileName = "signing-key.pem";
    private const string EncryptionKeyFileName = "encryption-key.pem";

    // Owner read/write only: the key files and the database are this server's secrets.
    private const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private PersistentState(string connectionString, RSA signingRsa, RSA encryptionRsa)
    {
        ConnectionString = connectionString;
        SigningKey = CreateSecurityKey(signingRsa);
        EncryptionKey = CreateSecurityKey(encryptionRsa);
    }

    public string ConnectionString { get; }

    public SecurityKey SigningKey { get; }

    public SecurityKey EncryptionKey { get; }

    public static PersistentState Open(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var directory = Path.GetFullPath(dataDirectory);
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, PrivateDirectoryMode);
            }
        }

        var databasePath = Path.Combine(directory, DatabaseFileName);

        // SQLite accepts an empty file as a new database; creating it ourselves gives it owner-only permissions,
        // which SQLite then also applies to its journal files.
        if (!File.Exists(databasePath))
        {
            TryCreatePrivateFile(databasePath, contents: null);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,

            // No pooled connections: they would keep the file open after the server stops, which blocks deleting the
            // directory on Windows and lets a stopped server hold locks the next instance then waits on.
            Pooling = false,
        }.ToString();

        var signing = LoadOrCreateRsa(Path.Combine(directory, SigningKeyFileName));
        var encryption = LoadOrCreateRsa(Path.Combine(directory, EncryptionKeyFileName));
        return new PersistentState(connectionString, signing, encryption);
    }

    private static RSA LoadOrCreateRsa(string path)
    {
        if (!File.Exists(path))
        {
            using var created = RSA.Create(2048);
            TryCreatePrivateFile(path, created.ExportPkcs8PrivateKeyPem());
        }

        // Always read back from the file, so that if another process won the race to create it, both use its key.
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            return rsa;
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new InvalidOperationException(
                $"The key file '{Path.GetFileName(path)}' in the identity provider's data directory is not a PEM RSA private key; delete the directory to start afresh.",
                exception);
        }
    }

    /// <summary>Creates a file readable only by its owner (on Unix); leaves an existing file alone.</summary>
    private static void TryCreatePrivateFile(string path, string? contents)
    {
        // Written under a temporary name and moved into place, so no reader ever sees a half-written key.
        var temporaryPath = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = PrivateFileMode;
        }

        try
        {
            using (var writer = new StreamWriter(temporaryPath, System.Text.Encoding.ASCII, streamOptions))
            {
                if (contents is not null)
                {
                    writer.Write(contents);
                }
            }

            File.Move(temporaryPath, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created the file first; its contents win.
        }
        finally
        {
            File.Delete(temporaryPath);
        }
    }

    private static RsaSecurityKey CreateSecurityKey(RSA rsa)
    {
        // A key id derived from the public key stays the same across restarts, so resource servers that cached the
        // issuer's key set keep finding the key a token names in its "kid" header.
        var thumbprint = SHA256.HashData(rsa.ExportSubjectPublicKeyInfo());
        return new RsaSecurityKey(rsa) { KeyId = Base64UrlEncoder.Encode(thumbprint.AsSpan(0, 16).ToArray()) };
    }
}
