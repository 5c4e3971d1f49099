using System;
using System.Linq;
using IdentityGuard.Analyzers.Secrets;
using IdentityGuard.Scrubbing;
using Xunit;

namespace IdentityGuard.Tests.Scrubbing;

/// <summary>
/// The .NET 9+ signature search must pick the same candidate formats as the analyzers' pre-filter, which the .NET 8
/// build uses; the tests run on .NET 10, so the two are compared here.
/// </summary>
public sealed class KnownFormatSignaturesTests
{
    [Theory]
    [InlineData("nothing to see here, just a plain sentence about quarterly sales")]
    [InlineData("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijklmnopqrstu and more")]
    [InlineData("Server=db;User Id=app;Password=Sup3r-Secret!;")]
    [InlineData("https://user:pa55word@db.internal.net/x and AKIAABCDEFGHIJKLMNOP")]
    [InlineData("SECRET_ACCESS_KEY = abcdefghijklmnopqrstuvwxyz0123456789ABCD; sig=abc; Q~ xoxb- ghp_ glpat- sk-ant- whsec_")]
    [InlineData("MTIzNDU2Nzg5MDEyMzQ1Njc4.abcdef.ghijklmnopqrstuvwxyz0123456 no dot? yes dot")]
    public void Pick_the_same_candidates_as_the_analyzers_prefilter(string text) =>
        Assert.Equal(KnownFormatScanner.FindCandidates(text), KnownFormatSignatures.FindCandidates(text));

    [Fact]
    public void Pick_the_same_candidates_for_every_signature_of_the_catalog()
    {
        foreach (var format in KnownSecretFormats.All)
        {
            foreach (var signature in format.Signatures)
            {
                var text = "prefix text " + signature + "ABCdef.123:@/==" + signature.ToUpperInvariant() + " suffix";
                Assert.Equal(KnownFormatScanner.FindCandidates(text), KnownFormatSignatures.FindCandidates(text));
            }
        }

        Assert.True(KnownSecretFormats.All.Sum(f => f.Signatures.Count) > 50);
    }
}
