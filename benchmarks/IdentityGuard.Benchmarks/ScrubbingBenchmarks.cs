using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using IdentityGuard.Scrubbing;
using IdentityGuard.Tests.Scrubbing;

namespace IdentityGuard.Benchmarks;

/// <summary>
/// The cost of scrubbing a 64 KB tool result while 50 credentials are held: clean, with hits, as JSON, and with
/// escapes to decode; next to serializing the same result, which every tool call already pays.
/// </summary>
[MemoryDiagnoser]
public class ScrubbingBenchmarks
{
    private const int HeldValues = 50;

    private HeldCredentials _held = null!;
    private CredentialScrubber _scrubber = null!;
    private ToolRow[] _rows = null!;
    private string _clean = null!;
    private string _withHits = null!;
    private string _escaped = null!;
    private JsonElement _cleanJson;

    [GlobalSetup]
    public void Setup()
    {
        var held = _held = new HeldCredentials();
        // Seeded, so every run plants the same tokens (whether a token happens to contain a format signature changes
        // which path a text takes).
        var random = new Random(20261201);
        var tokens = Enumerable.Range(0, HeldValues).Select(_ => Convert.ToBase64String(Bytes(random, 48))).ToArray();
        foreach (var token in tokens)
        {
            held.Remember(token, "Reports", DateTimeOffset.UtcNow.AddHours(1));
        }

        // No audit sinks: the benchmark measures the search, not a logger.
        _scrubber = new CredentialScrubber(held);

        // About 64 KB of realistic JSON: sales rows with names, amounts, dates and notes.
        var rows = new List<ToolRow>();
        var length = 0;
        for (var i = 0; length < 64 * 1024; i++)
        {
            var row = new ToolRow(i, $"Customer {i:D5} GmbH", "EMEA", 1000m + i, new DateTime(2026, 1, 1).AddDays(i % 300), $"Call the account owner about order {i}; renewal due next quarter.");
            rows.Add(row);
            length += JsonSerializer.Serialize(row).Length + 1;
        }

        _rows = rows.ToArray();
        _clean = JsonSerializer.Serialize(_rows);
        _cleanJson = JsonSerializer.SerializeToElement(_rows);

        // Five held tokens planted in notes, and the same text with every '/' escaped as JSON allows (\/).
        var planted = (ToolRow[])_rows.Clone();
        for (var k = 0; k < 5; k++)
        {
            var index = (k + 1) * planted.Length / 6;
            planted[index] = planted[index] with { Note = "debug token " + tokens[k] };
        }

        _withHits = JsonSerializer.Serialize(planted);
        _escaped = _clean.Replace("/", "\\/", StringComparison.Ordinal).Replace(" ", "\\u0020", StringComparison.Ordinal);
    }

    [Benchmark(Baseline = true, Description = "no scrubbing: serialize the 64 KB tool result")]
    public string Serialize() => JsonSerializer.Serialize(_rows);

    [Benchmark(Description = "scrub 64 KB text, clean")]
    public string ScrubClean() => _scrubber.Scrub(_clean);

    [Benchmark(Description = "scrub 64 KB text, 5 held tokens")]
    public string ScrubWithHits() => _scrubber.Scrub(_withHits);

    [Benchmark(Description = "scrub 64 KB text with JSON escapes, clean")]
    public string ScrubEscaped() => _scrubber.Scrub(_escaped);

    [Benchmark(Description = "before: whole-text decoding, 5 held tokens")]
    public string ScrubWithHitsWholeText() => WholeTextReferenceScrubber.Scrub(_withHits, _held.GetSnapshot(), DateTimeOffset.UtcNow, new Tally());

    [Benchmark(Description = "before: whole-text decoding, JSON escapes, clean")]
    public string ScrubEscapedWholeText() => WholeTextReferenceScrubber.Scrub(_escaped, _held.GetSnapshot(), DateTimeOffset.UtcNow, new Tally());

    [Benchmark(Description = "scrub 64 KB JsonElement, clean")]
    public JsonElement ScrubJsonElement() => _scrubber.Scrub(_cleanJson);

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>One row of the tool result.</summary>
    public sealed record ToolRow(int Id, string Customer, string Region, decimal Amount, DateTime Date, string Note);
}
