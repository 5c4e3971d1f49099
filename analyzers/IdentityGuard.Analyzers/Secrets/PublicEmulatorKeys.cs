using System;

namespace IdentityGuard.Analyzers.Secrets;

/// <summary>
/// Keys that look like credentials but are published by their vendors for local emulators, and so are not secrets:
/// every copy of the emulator accepts them and nothing else does. Exempt exactly, by ordinal comparison of the whole
/// key: a key that differs in one character is a real key and still reported.
/// </summary>
internal static class PublicEmulatorKeys
{
    /// <summary>
    /// The Azurite (and legacy Azure Storage emulator) key of account <c>devstoreaccount1</c>, from Microsoft's Azurite
    /// documentation ("Well-known storage account and key"); and the Azure Cosmos DB emulator's fixed key, from
    /// Microsoft's Cosmos DB emulator documentation.
    /// </summary>
    private static readonly string[] Keys =
    {
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
    };

    /// <summary>The value is exactly one of the published keys.</summary>
    public static bool Is(string value)
    {
        foreach (var key in Keys)
        {
            if (string.Equals(value, key, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The matched text (<c>AccountKey=…</c>) ends with a published key. Only the tail is compared: the key is the
    /// last part of every format match that can hold one, and a longer run of key characters is a different key.
    /// </summary>
    public static bool EndsMatch(string value, int matchStart, int matchLength)
    {
        foreach (var key in Keys)
        {
            var start = matchStart + matchLength - key.Length;
            if (start >= matchStart && string.CompareOrdinal(value, start, key, 0, key.Length) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
