using System;
using System.Linq;
using System.Text;
using IdentityGuard.Analyzers.Secrets;
using IdentityGuard.Scrubbing;
using Xunit;

namespace IdentityGuard.Tests.Scrubbing;

/// <summary>The run-time pre-filter must name exactly the formats the analyzers' scanner names, on any text.</summary>
public sealed class SignaturePrefilterTests
{
    [Fact]
    public void Names_the_same_candidate_formats_as_the_analyzers_scanner()
    {
        var signatures = KnownSecretFormats.All.SelectMany(f => f.Signatures).ToArray();
        var filler = new[] { " ", "a", "Z", "0", ".", "@", "-", "_", "=", ":", "/", "é", "\n", "ſ", "ı", "K" };
        var differing = 0;
        var nonEmpty = 0;
        for (var seed = 1; seed <= 5000; seed++)
        {
            var random = new Random(seed);
            var text = new StringBuilder();
            for (var piece = random.Next(1, 12); piece > 0; piece--)
            {
                if (random.Next(3) == 0)
                {
                    // A signature in random case, sometimes cut short.
                    var signature = signatures[random.Next(signatures.Length)];
                    var cut = random.Next(4) == 0 ? random.Next(1, signature.Length + 1) : signature.Length;
                    text.Append(new string(signature[..cut].Select(c => random.Next(3) == 0 ? char.ToUpperInvariant(c) : random.Next(2) == 0 ? char.ToLowerInvariant(c) : c).ToArray()));
                }
                else
                {
                    text.Append(filler[random.Next(filler.Length)]);
                }
            }

            var value = text.ToString();
            var expected = KnownFormatScanner.FindCandidates(value);
            differing += expected == SignaturePrefilter.FindCandidates(value) ? 0 : 1;
            nonEmpty += expected != 0 ? 1 : 0;
        }

        Assert.Equal(0, differing);
        Assert.True(nonEmpty > 1000, $"only {nonEmpty} texts had a candidate");
    }
}
