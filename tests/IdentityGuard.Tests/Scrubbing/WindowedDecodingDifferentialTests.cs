using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using IdentityGuard.Scrubbing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IdentityGuard.Tests.Scrubbing;

/// <summary>
/// The scrubber decodes and searches only the windows around escapes; <see cref="WholeTextReferenceScrubber"/>
/// decodes and searches everything. Over thousands of seeded random texts (held values as issued, escaped in every
/// JSON and URL form, split by escapes, inside base64, next to escapes at window edges, plus shapes and noise) both
/// must replace exactly the same spans and count the same redactions.
/// </summary>
public sealed class WindowedDecodingDifferentialTests
{
    private const string Base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private const string Odd = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.~\"\\% :/=";

    private static readonly string[] Words =
        ["the", "report", "rows", "EMEA", "total", "1234.50", "note", "{\"id\":", "\",\"", "\"}", ",", " ", "  ", "\n", "a", "Z9", "==", "+", "/", "-", "_", "."];

    private static readonly string[] Noise =
        ["\\n", "\\\"", "\\\\", "\\/", "\\u00e9", "\\u0041", "\\u002B", "\\u002b", "%20", "%2F", "%", "\\", "\\u12", "%zz", "\\x", "%C3%A9", "\\\\u002B", "%252B", "\\u005Cu002B", "%25252E"];

    [Fact]
    public void The_windowed_search_finds_exactly_what_a_whole_text_search_finds()
    {
        var differing = new List<string>();
        for (var seed = 1; seed <= 10000 && differing.Count < 5; seed++)
        {
            var (expected, actual) = Run(seed);
            if (expected != actual)
            {
                differing.Add($"seed {seed}:\n  text     {World.Create(seed).Text}\n  expected {expected}\n  got      {actual}");
            }
        }

        Assert.True(differing.Count == 0, string.Join("\n", differing));
    }

    [Fact]
    public void The_generated_texts_really_hold_credentials_found_only_through_decoding()
    {
        // The differential test above proves nothing if the inputs never needed decoding: count the seeds where the
        // reference found something that the original text alone does not show.
        var revealed = 0;
        for (var seed = 1; seed <= 400; seed++)
        {
            var world = World.Create(seed);
            var text = world.Text;
            var snapshot = world.Held.GetSnapshot();
            var now = world.Time.GetUtcNow();
            List<Finding>? found = null;
            snapshot.FindAll(text, now, ref found);
            CredentialShapes.FindAll(text, ref found);
            var whole = WholeTextReferenceScrubber.Scrub(text, snapshot, now, new Tally());
            var rawOnly = found is null ? text : CredentialScrubber.Redact(text, found, new Tally());
            revealed += whole != rawOnly ? 1 : 0;
        }

        Assert.True(revealed > 100, $"only {revealed} of 400 texts needed decoding");
    }

    private static (string Expected, string Actual) Run(int seed)
    {
        var world = World.Create(seed);
        var snapshot = world.Held.GetSnapshot();
        var now = world.Time.GetUtcNow();
        var expectedTally = new Tally();
        var actualTally = new Tally();

        var expected = WholeTextReferenceScrubber.Scrub(world.Text, snapshot, now, expectedTally);
        var actual = CredentialScrubber.ScrubText(world.Text, snapshot, now, actualTally);

        return (Describe(expected, expectedTally), Describe(actual, actualTally));
    }

    private static string Describe(string scrubbed, Tally tally) =>
        scrubbed + " | " + tally.Count + " | " + string.Join(";", tally.Groups.OrderBy(g => g.Provider, StringComparer.Ordinal).Select(g => g.Provider + ":" + g.Count + ":" + string.Join(",", g.Kinds.Order(StringComparer.Ordinal))));

    /// <summary>A store with values added in two rounds (so both matcher tiers hold some), one expired, and a text.</summary>
    private sealed class World
    {
        private World(FakeTimeProvider time, HeldCredentials held, string text)
        {
            Time = time;
            Held = held;
            Text = text;
        }

        public FakeTimeProvider Time { get; }

        public HeldCredentials Held { get; }

        public string Text { get; }

        public static World Create(int seed)
        {
            var random = new Random(seed);
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
            var held = new HeldCredentials(time, capacity: 64);
            var values = Enumerable.Range(0, 1 + random.Next(6)).Select(_ => Value(random)).Distinct().ToArray();
            for (var i = 0; i < values.Length; i++)
            {
                var lifetime = i == 0 && random.Next(4) == 0 ? TimeSpan.FromMinutes(1) : TimeSpan.FromHours(1);
                held.Remember(values[i], "P" + (i % 3), time.GetUtcNow() + lifetime);
                if (i == values.Length / 2)
                {
                    held.GetSnapshot();
                }
            }

            time.Advance(TimeSpan.FromMinutes(2));
            var builder = new StringBuilder();
            var pieces = 1 + random.Next(14);
            for (var p = 0; p < pieces; p++)
            {
                AppendPiece(builder, random, values);
            }

            return new World(time, held, builder.ToString());
        }

        private static string Value(Random random)
        {
            var alphabet = random.Next(6) switch
            {
                0 => Base64Url,
                1 => Odd,
                _ => Base64,
            };
            var length = random.Next(4) == 0 ? 8 + random.Next(4) : 12 + random.Next(70);
            return new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
        }

        private static void AppendPiece(StringBuilder text, Random random, string[] values)
        {
            var value = values[random.Next(values.Length)];
            switch (random.Next(12))
            {
                case 0:
                case 1:
                    text.Append(value);
                    break;
                case 2:
                case 3:
                    text.Append(Escaped(value, random, 0.05 + (random.NextDouble() * 0.6)));
                    break;
                case 4:
                    text.Append(Base64Of(random, value));
                    break;
                case 5:
                    // A split value: not a credential in either form, but it puts escapes right inside a near-match.
                    var cut = random.Next(value.Length);
                    text.Append(value, 0, cut).Append(Noise[random.Next(Noise.Length)]).Append(value, cut, value.Length - cut);
                    break;
                case 6:
                    text.Append(Noise[random.Next(Noise.Length)]);
                    break;
                case 7:
                    text.Append(Shape(random));
                    break;
                case 8:
                    // Filler about as long as the window margin, so escapes land on and around window edges.
                    var length = Math.Max(0, value.Length + random.Next(-4, 30));
                    while (length-- > 0)
                    {
                        text.Append(Base64[random.Next(Base64.Length)]);
                    }

                    break;
                case 9:
                    text.Append(value.AsSpan(0, random.Next(value.Length)));
                    break;
                default:
                    for (var w = random.Next(1, 8); w > 0; w--)
                    {
                        text.Append(Words[random.Next(Words.Length)]);
                    }

                    break;
            }
        }

        private static string Escaped(string value, Random random, double share)
        {
            var builder = new StringBuilder();
            foreach (var c in value)
            {
                if (random.NextDouble() >= share)
                {
                    // Characters that must be escaped in JSON are, when the generator leaves them alone.
                    builder.Append(c switch { '"' => "\\\"", '\\' => "\\\\", _ => c.ToString() });
                    continue;
                }

                builder.Append(random.Next(8) switch
                {
                    0 => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                    1 => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                    2 => string.Create(CultureInfo.InvariantCulture, $"%{(int)c:X2}"),
                    3 => string.Create(CultureInfo.InvariantCulture, $"%25{(int)c:X2}"),
                    4 => string.Create(CultureInfo.InvariantCulture, $"\\\\u{(int)c:x4}"),
                    5 => string.Create(CultureInfo.InvariantCulture, $"\\u005Cu{(int)c:x4}"),
                    6 => c switch { '/' => "\\/", '"' => "\\\"", '\\' => "\\\\", _ => string.Create(CultureInfo.InvariantCulture, $"%{(int)c:x2}") },
                    _ => string.Create(CultureInfo.InvariantCulture, $"%2525{(int)c:X2}"),
                });
            }

            return builder.ToString();
        }

        private static string Base64Of(Random random, string value)
        {
            var prefix = new string('k', random.Next(4)) + (random.Next(2) == 0 ? "client:" : string.Empty);
            var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + value + new string('x', random.Next(3))));
            encoded = random.Next(3) switch
            {
                0 => encoded.TrimEnd('=').Replace('+', '-').Replace('/', '_'),
                1 => encoded.Replace("+", "\\u002B", StringComparison.Ordinal).Replace("/", "\\/", StringComparison.Ordinal),
                _ => encoded,
            };
            return encoded;
        }

        private static string Shape(Random random)
        {
            var jwt = CredentialScrubberTests.Jwt();
            return random.Next(8) switch
            {
                0 => jwt,
                1 => jwt.Replace(".", "\\u002e", StringComparison.Ordinal),
                2 => CredentialScrubberTests.Jwe(random.Next(2) == 0),
                3 => "access_token=" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
                4 => "\\u0061ccess_token\\u003d" + Convert.ToHexString(Guid.NewGuid().ToByteArray()),
                5 => "Authorization: Bearer " + Convert.ToHexString(Guid.NewGuid().ToByteArray()),
                6 => "https:\\/\\/svc:" + Convert.ToHexString(Guid.NewGuid().ToByteArray()) + "\\u0040db.internal.net\\/x",
                _ => "eyJ" + new string('Q', random.Next(3, 12)) + "\\u002e",
            };
        }
    }
}
