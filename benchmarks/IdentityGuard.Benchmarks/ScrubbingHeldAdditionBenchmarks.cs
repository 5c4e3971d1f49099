using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using IdentityGuard.Scrubbing;

namespace IdentityGuard.Benchmarks;

/// <summary>
/// The cost of a new held value (each user's token is held, so values keep arriving) followed by a scrub of a
/// 4 KB tool result, with 50 and 5,000 values held: the small tier rebuilt per value ("now") next to every value
/// rebuilding the whole matcher ("before").
/// </summary>
[MemoryDiagnoser]
public class ScrubbingHeldAdditionBenchmarks
{
    private HeldCredentials _tiered = null!;
    private HeldCredentials _wholeRebuild = null!;
    private CredentialScrubber _tieredScrubber = null!;
    private CredentialScrubber _wholeRebuildScrubber = null!;
    private string _text = null!;

    /// <summary>How many values are held (the store is full, so each new value replaces the oldest).</summary>
    [Params(50, 5000)]
    public int Held { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tiered = new HeldCredentials(null, Held);
        _wholeRebuild = new HeldCredentials(null, Held, recentTierLimit: 0);
        _tieredScrubber = new CredentialScrubber(_tiered);
        _wholeRebuildScrubber = new CredentialScrubber(_wholeRebuild);
        for (var i = 0; i < Held; i++)
        {
            var value = NextValue();
            _tiered.Remember(value, "Users", DateTimeOffset.UtcNow.AddHours(1));
            _wholeRebuild.Remember(value, "Users", DateTimeOffset.UtcNow.AddHours(1));
        }

        var text = new StringBuilder();
        for (var i = 0; text.Length < 4096; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\"id\":{i},\"customer\":\"Customer {i:D5} GmbH\",\"note\":\"renewal due next quarter\"}},");
        }

        _text = text.ToString();
        _tieredScrubber.Scrub(_text);
        _wholeRebuildScrubber.Scrub(_text);
    }

    [Benchmark(Baseline = true, Description = "before: add a value, whole matcher rebuilt, scrub 4 KB")]
    public string AddThenScrubWholeRebuild()
    {
        _wholeRebuild.Remember(NextValue(), "Users", DateTimeOffset.UtcNow.AddHours(1));
        return _wholeRebuildScrubber.Scrub(_text);
    }

    [Benchmark(Description = "now: add a value, small tier rebuilt, scrub 4 KB")]
    public string AddThenScrubTiered()
    {
        _tiered.Remember(NextValue(), "Users", DateTimeOffset.UtcNow.AddHours(1));
        return _tieredScrubber.Scrub(_text);
    }

    [Benchmark(Description = "scrub 4 KB, nothing added")]
    public string ScrubOnly() => _tieredScrubber.Scrub(_text);

    // A user's token: 48 random base64 characters.
    private static string NextValue() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(36));
}
