using System;
using IdentityGuard.Analyzers.Secrets;
using Xunit;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>The per-literal gate must be cheap: ordinary strings are rejected without allocating.</summary>
public class PreFilterTests
{
    private static readonly string[] OrdinaryStrings =
    {
        "Hello, world", "The token endpoint returned 401 Unauthorized; retrying once.", "crm.notes.read",
        "https://login.example.com/.well-known/openid-configuration", "{0} of {1} items", "X-Api-Key",
        "SELECT id, name FROM customers WHERE region = @region", "IdentityGuard:Crm:ClientSecret",
    };

    [Fact]
    public void Ordinary_strings_fail_the_gate_without_allocating()
    {
        // Warm up first: type initialisation and tiered JIT allocate once per process.
        foreach (var value in OrdinaryStrings)
        {
            Gate(value);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var passed = 0;
        for (var round = 0; round < 100; round++)
        {
            foreach (var value in OrdinaryStrings)
            {
                passed += Gate(value) ? 1 : 0;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, passed);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Signatures_are_found_case_insensitively_only_where_declared()
    {
        Assert.NotEqual(0UL, KnownFormatScanner.FindCandidates("Server=db;PASSWORD="));
        Assert.Equal(0UL, KnownFormatScanner.FindCandidates("no signature in this string at all"));
        Assert.Equal(0UL, KnownFormatScanner.FindCandidates("GHP_ upper case is not a GitHub prefix"));
    }

    private static bool Gate(string value) =>
        KnownFormatScanner.FindCandidates(value) != 0
        || KnownFormatScanner.CouldMatchByName(value)
        || SecretNamedLiteralRule.IsCandidateValue(value);
}
