using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityGuard.Audit;

namespace IdentityGuard.Scrubbing;

/// <summary>
/// Removes credentials from text and JSON before it leaves for a model: every value in <see cref="HeldCredentials"/>
/// (as issued, JSON- or URL-escaped, or inside a base64 encoding), the known credential formats of IG0001 (JWTs,
/// vendor keys) and the credential of an <c>Authorization</c> header or <c>access_token</c>-style field. Each is
/// replaced by <see cref="Marker"/>, and each call that redacts something records one
/// <see cref="AuditEventKind.CredentialRedacted"/> event per provider, naming the workload and the provider, never
/// the value. Thread-safe; clean input is returned as the same instance.
/// </summary>
public sealed class CredentialScrubber
{
    /// <summary>The text that replaces a credential.</summary>
    public const string Marker = "[redacted:credential]";

    // Nothing shorter can hold a credential: every shape and every held value has at least this many characters.
    private const int ShortestCredential = HeldCredentials.MinimumLength;

    // Longer than every format signature and context keyword, so a window holds any occurrence an escape completes.
    private const int ShapeSignalMargin = 32;

    private readonly HeldCredentials _held;
    private readonly AuditLog? _audit;
    private readonly string _workload;

    /// <summary>Creates a scrubber over <paramref name="held"/>.</summary>
    /// <param name="held">The values this process issued or served.</param>
    /// <param name="audit">Where redactions are recorded; null records nothing.</param>
    /// <param name="workload">The workload named in audit events.</param>
    public CredentialScrubber(HeldCredentials held, AuditLog? audit = null, string? workload = null)
    {
        ArgumentNullException.ThrowIfNull(held);
        _held = held;
        _audit = audit;
        _workload = string.IsNullOrEmpty(workload) ? "-" : workload;
    }

    /// <summary>The values looked for by exact match.</summary>
    public HeldCredentials Held => _held;

    /// <summary>Returns <paramref name="text"/> with every credential replaced by <see cref="Marker"/>.</summary>
    /// <param name="text">Text bound for a model: a message, a tool result, JSON text.</param>
    /// <param name="origin">What the text is, for the audit event (e.g. <c>tool result get_report</c>); never secret.</param>
    /// <returns>The same instance when nothing was found.</returns>
    public string Scrub(string text, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tally = new Tally();
        var result = ScrubText(text, _held.GetSnapshot(), _held.Time.GetUtcNow(), tally);
        Report(tally, origin);
        return result;
    }

    /// <summary>
    /// Returns <paramref name="element"/> with every string value and property name scrubbed as by
    /// <see cref="Scrub(string, string?)"/>. Escapes do not hide a credential: strings are searched decoded.
    /// </summary>
    /// <returns>The same element when nothing was found; otherwise a new, self-contained element.</returns>
    public JsonElement Scrub(JsonElement element, string? origin = null) =>
        TryScrub(element, out var scrubbed, origin) ? scrubbed : element;

    /// <summary>Scrubs <paramref name="element"/> as <see cref="Scrub(JsonElement, string?)"/> does.</summary>
    /// <param name="element">The JSON to scrub.</param>
    /// <param name="scrubbed">The scrubbed copy when something was redacted; otherwise <paramref name="element"/>.</param>
    /// <param name="origin">What the JSON is, for the audit event; never secret.</param>
    /// <returns>Whether anything was redacted.</returns>
    public bool TryScrub(JsonElement element, out JsonElement scrubbed, string? origin = null)
    {
        var snapshot = _held.GetSnapshot();
        var now = _held.Time.GetUtcNow();

        // One pass over the JSON text decides the common, clean case; it also sees a name and its value together.
        var raw = element.GetRawText();
        var rawTally = new Tally();
        var rawScrubbed = ScrubText(raw, snapshot, now, rawTally);
        if (ReferenceEquals(rawScrubbed, raw))
        {
            scrubbed = element;
            return false;
        }

        var tally = new Tally();
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteScrubbed(element, writer, snapshot, now, tally, propertyName: null);
        }

        if (tally.Count == 0)
        {
            // The text held a credential that no single string shows (it spans JSON syntax): fail closed and send
            // the scrubbed text as one JSON string rather than the structure.
            Report(rawTally, origin);
            scrubbed = JsonSerializer.SerializeToElement(rawScrubbed);
            return true;
        }

        Report(tally, origin);
        using var document = JsonDocument.Parse(buffer.ToArray());
        scrubbed = document.RootElement.Clone();
        return true;
    }

    /// <summary>
    /// Scrubs <paramref name="node"/> in place (string values and property names, at any depth) as by
    /// <see cref="Scrub(string, string?)"/>.
    /// </summary>
    /// <returns>
    /// The node to use from now on: <paramref name="node"/> itself, or a new value node when the root itself was a
    /// string that held a credential.
    /// </returns>
    public JsonNode? Scrub(JsonNode? node, string? origin = null)
    {
        if (node is null)
        {
            return null;
        }

        var snapshot = _held.GetSnapshot();
        var now = _held.Time.GetUtcNow();
        var tally = new Tally();
        var result = ScrubNode(node, snapshot, now, tally);
        Report(tally, origin);
        return result;
    }

    internal static string ScrubText(string text, HeldSnapshot snapshot, DateTimeOffset now, Tally tally, string? propertyName = null)
    {
        if (text.Length < ShortestCredential)
        {
            return text;
        }

        List<Finding>? findings = null;
        snapshot.FindAll(text, now, ref findings);
        if (!CredentialShapes.FindAll(text, ref findings, out var signalled)
            || (propertyName is not null && !CredentialShapes.FindInField(propertyName, text, ref findings)))
        {
            return Unsearchable(text, tally);
        }

        if (EscapeWindows.MayHaveEscapes(text) && !SearchDecoded(text, snapshot, now, signalled, ref findings))
        {
            return Unsearchable(text, tally);
        }

        return findings is null ? text : Redact(text, findings, tally);
    }

    /// <summary>
    /// Finds what decoding the escapes in <paramref name="text"/> reveals, as searching the whole decoded text would,
    /// but decoding and searching only the windows around the escapes (see <see cref="EscapeWindows"/>): a held value
    /// that involves a decoded character lies in a window; one that does not was found in the original already.
    /// </summary>
    /// <remarks>
    /// Shapes are searched in the whole decoded text only when that text can hold a signature or keyword at all:
    /// the original already held one (<paramref name="signalled"/>), or an escape produced a character of one, or
    /// produced a character a format requires that the original lacks. Otherwise no pattern would run there.
    /// </remarks>
    /// <returns>False when a pattern ran out of time.</returns>
    private static bool SearchDecoded(string text, HeldSnapshot snapshot, DateTimeOffset now, bool signalled, ref List<Finding>? findings)
    {
        var shapesInDecoded = signalled;
        if (!snapshot.IsEmpty || !shapesInDecoded)
        {
            // Required characters (a JWT's dot, the @ of user information) the original lacks: an escape that makes one
            // can let a signature the original already shows reach a pattern.
            var missing = signalled ? string.Empty : MissingCharacters(text, CredentialShapes.RequiredCharacters);
            var windows = new List<(int Start, int End)>();
            EscapeWindows.Find(text, Math.Max(snapshot.MaxNeedleLength, ShapeSignalMargin), windows);
            using var decoder = new WindowDecoder();
            foreach (var (start, end) in windows)
            {
                decoder.Reset(text, start, end);
                while (decoder.DecodeNextLevel())
                {
                    var view = decoder.Text;
                    var first = findings?.Count ?? 0;
                    snapshot.FindAll(view, now, ref findings);
                    for (var i = first; i < (findings?.Count ?? 0); i++)
                    {
                        var finding = findings![i];
                        var (from, to) = (decoder.OriginOf(finding.Start), decoder.OriginOf(finding.End));
                        findings[i] = finding with { Start = from, Length = to - from };
                    }

                    shapesInDecoded = shapesInDecoded || MayRevealShape(decoder, missing);
                }
            }
        }

        if (!shapesInDecoded)
        {
            return true;
        }

        // The whole text, decoded level by level into pooled buffers; only the decoded string the patterns need is allocated.
        using var whole = new WindowDecoder();
        whole.Reset(text, 0, text.Length);
        while (whole.DecodeNextLevel())
        {
            List<Finding>? decoded = null;
            if (!CredentialShapes.FindAll(whole.Text.ToString(), ref decoded))
            {
                return false;
            }

            foreach (var finding in decoded ?? [])
            {
                var (start, end) = (whole.OriginOf(finding.Start), whole.OriginOf(finding.End));
                (findings ??= []).Add(finding with { Start = start, Length = end - start });
            }
        }

        return true;
    }

    /// <summary>Whether a character an escape produced in this window could complete a shape's signature or keyword.</summary>
    private static bool MayRevealShape(WindowDecoder decoder, string missing)
    {
        var view = decoder.Text;
        var derived = decoder.Derived;
        for (var i = derived.IndexOf(true); i >= 0; i = NextDerived(derived, i))
        {
            if (CredentialShapes.MayOccurAround(view, i) || missing.Contains(view[i], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;

        static int NextDerived(ReadOnlySpan<bool> derived, int after)
        {
            var next = derived[(after + 1)..].IndexOf(true);
            return next < 0 ? -1 : after + 1 + next;
        }
    }

    private static string MissingCharacters(string text, string characters)
    {
        var missing = string.Empty;
        foreach (var c in characters)
        {
            missing += text.Contains(c, StringComparison.Ordinal) ? string.Empty : c.ToString();
        }

        return missing;
    }

    /// <summary>Fail closed: text whose search ran out of time is withheld whole.</summary>
    private static string Unsearchable(string text, Tally tally)
    {
        tally.AddRun([new Finding(0, text.Length, FindingKind.Unsearchable, null, null)], 0, 1);
        return Marker;
    }

    /// <summary>Replaces the union of the found spans, each maximal run once, with the marker.</summary>
    internal static string Redact(string text, List<Finding> findings, Tally tally)
    {
        findings.Sort(CompareFindings);
        var runs = new List<(int Start, int End)>();
        var length = text.Length;
        var index = 0;
        while (index < findings.Count)
        {
            var first = index;
            var start = findings[index].Start;
            var end = findings[index].End;
            for (index++; index < findings.Count && findings[index].Start <= end; index++)
            {
                end = Math.Max(end, findings[index].End);
            }

            tally.AddRun(findings, first, index);
            runs.Add((start, end));
            length += Marker.Length - (end - start);
        }

        // One allocation for the result: a tool result is often large enough for the large-object heap.
        return string.Create(length, (text, runs), static (chars, state) =>
        {
            var (source, spans) = state;
            var copied = 0;
            var written = 0;
            foreach (var (start, end) in spans)
            {
                source.AsSpan(copied, start - copied).CopyTo(chars[written..]);
                written += start - copied;
                Marker.AsSpan().CopyTo(chars[written..]);
                written += Marker.Length;
                copied = end;
            }

            source.AsSpan(copied).CopyTo(chars[written..]);
        });
    }

    /// <summary>
    /// By start, longest first; the rest only breaks ties, so that which provider a run is attributed to does not
    /// depend on the order the searches found its parts in.
    /// </summary>
    private static int CompareFindings(Finding a, Finding b)
    {
        var order = a.Start.CompareTo(b.Start);
        order = order != 0 ? order : b.End.CompareTo(a.End);
        order = order != 0 ? order : a.Kind.CompareTo(b.Kind);
        order = order != 0 ? order : string.CompareOrdinal(a.Provider, b.Provider);
        return order != 0 ? order : string.CompareOrdinal(a.Format, b.Format);
    }

    private static void WriteScrubbed(JsonElement element, Utf8JsonWriter writer, HeldSnapshot snapshot, DateTimeOffset now, Tally tally, string? propertyName)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                writer.WriteStringValue(ScrubText(element.GetString()!, snapshot, now, tally, propertyName));
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteScrubbed(item, writer, snapshot, now, tally, propertyName: null);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(ScrubText(property.Name, snapshot, now, tally));
                    WriteScrubbed(property.Value, writer, snapshot, now, tally, property.Name);
                }

                writer.WriteEndObject();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static JsonNode ScrubNode(JsonNode node, HeldSnapshot snapshot, DateTimeOffset now, Tally tally, string? propertyName = null)
    {
        switch (node)
        {
            case JsonObject obj:
                var properties = new List<KeyValuePair<string, JsonNode?>>(obj);
                var scrubbed = new (string Name, JsonNode? Value)[properties.Count];
                var renamed = false;
                for (var i = 0; i < properties.Count; i++)
                {
                    var (name, child) = properties[i];
                    scrubbed[i] = (ScrubText(name, snapshot, now, tally), child is null ? null : ScrubNode(child, snapshot, now, tally, name));
                    renamed |= !ReferenceEquals(scrubbed[i].Name, name);
                }

                if (renamed)
                {
                    // A credential in a property name: rebuild the object, keeping the order and dropping every old name.
                    obj.Clear();
                    for (var i = 0; i < scrubbed.Length; i++)
                    {
                        var name = obj.ContainsKey(scrubbed[i].Name) ? $"{scrubbed[i].Name}#{i}" : scrubbed[i].Name;
                        obj[name] = scrubbed[i].Value;
                    }
                }
                else
                {
                    for (var i = 0; i < scrubbed.Length; i++)
                    {
                        if (!ReferenceEquals(scrubbed[i].Value, properties[i].Value))
                        {
                            obj[properties[i].Key] = scrubbed[i].Value;
                        }
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item && ScrubNode(item, snapshot, now, tally) is var result && !ReferenceEquals(result, item))
                    {
                        array[i] = result;
                    }
                }

                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.TryGetValue<string>(out var text):
                var clean = ScrubText(text, snapshot, now, tally, propertyName);
                return ReferenceEquals(clean, text) ? value : JsonValue.Create(clean);
            default:
                return node;
        }
    }

    private void Report(Tally tally, string? origin)
    {
        if (tally.Count == 0 || _audit is null)
        {
            return;
        }

        var from = Printable(origin);
        foreach (var group in tally.Groups)
        {
            _audit.Record(AuditEventKind.CredentialRedacted, _workload, user: null, group.Provider, scopes: null,
                reason: $"{group.Count} credential(s) redacted from {from}: {string.Join(", ", group.Kinds)}");
        }
    }

    /// <summary>
    /// The origin as it may appear in an audit line: it can carry a tool name the model chose, so anything but
    /// printable ASCII is replaced and it is capped, and a crafted name cannot forge or split an audit record.
    /// </summary>
    private static string Printable(string? origin)
    {
        if (string.IsNullOrEmpty(origin))
        {
            return "text";
        }

        var length = Math.Min(origin.Length, 96);
        return string.Create(length, origin, static (chars, source) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                var c = source[i];
                chars[i] = c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '?';
            }
        });
    }
}
