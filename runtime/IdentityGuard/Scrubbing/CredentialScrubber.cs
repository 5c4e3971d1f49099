using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
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
        var result = ScrubText(text, _held.GetSnapshot(), tally);
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

        // One pass over the JSON text decides the common, clean case; it also sees a name and its value together.
        var raw = element.GetRawText();
        var rawTally = new Tally();
        var rawScrubbed = ScrubText(raw, snapshot, rawTally);
        if (ReferenceEquals(rawScrubbed, raw))
        {
            scrubbed = element;
            return false;
        }

        var tally = new Tally();
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteScrubbed(element, writer, snapshot, tally, propertyName: null);
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
        var tally = new Tally();
        var result = ScrubNode(node, snapshot, tally);
        Report(tally, origin);
        return result;
    }

    private static string ScrubText(string text, HeldSnapshot snapshot, Tally tally, string? propertyName = null)
    {
        if (text.Length < ShortestCredential)
        {
            return text;
        }

        List<Finding>? findings = null;
        if (!Search(text, snapshot, ref findings) || (propertyName is not null && !CredentialShapes.FindInField(propertyName, text, ref findings)))
        {
            return Unsearchable(text, tally);
        }

        if (DecodedView.MayHaveEscapes(text))
        {
            foreach (var view in DecodedView.DecodeLevels(text))
            {
                List<Finding>? decoded = null;
                if (!Search(view.Text, snapshot, ref decoded))
                {
                    return Unsearchable(text, tally);
                }

                foreach (var finding in decoded ?? [])
                {
                    var (start, end) = view.ToOriginal(finding.Start, finding.End);
                    (findings ??= []).Add(finding with { Start = start, Length = end - start });
                }
            }
        }

        return findings is null ? text : Redact(text, findings, tally);
    }

    /// <summary>Fail closed: text whose search ran out of time is withheld whole.</summary>
    private static string Unsearchable(string text, Tally tally)
    {
        tally.AddRun([new Finding(0, text.Length, FindingKind.Unsearchable, null, null)], 0, 1);
        return Marker;
    }

    private static bool Search(string text, HeldSnapshot snapshot, ref List<Finding>? findings)
    {
        snapshot.FindAll(text, ref findings);
        return CredentialShapes.FindAll(text, ref findings);
    }

    /// <summary>Replaces the union of the found spans, each maximal run once, with the marker.</summary>
    private static string Redact(string text, List<Finding> findings, Tally tally)
    {
        findings.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        var builder = new StringBuilder(text.Length);
        var copied = 0;
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
            builder.Append(text, copied, start - copied).Append(Marker);
            copied = end;
        }

        return builder.Append(text, copied, text.Length - copied).ToString();
    }

    private static void WriteScrubbed(JsonElement element, Utf8JsonWriter writer, HeldSnapshot snapshot, Tally tally, string? propertyName)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                writer.WriteStringValue(ScrubText(element.GetString()!, snapshot, tally, propertyName));
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteScrubbed(item, writer, snapshot, tally, propertyName: null);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(ScrubText(property.Name, snapshot, tally));
                    WriteScrubbed(property.Value, writer, snapshot, tally, property.Name);
                }

                writer.WriteEndObject();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static JsonNode ScrubNode(JsonNode node, HeldSnapshot snapshot, Tally tally, string? propertyName = null)
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
                    scrubbed[i] = (ScrubText(name, snapshot, tally), child is null ? null : ScrubNode(child, snapshot, tally, name));
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
                    if (array[i] is { } item && ScrubNode(item, snapshot, tally) is var result && !ReferenceEquals(result, item))
                    {
                        array[i] = result;
                    }
                }

                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.TryGetValue<string>(out var text):
                var clean = ScrubText(text, snapshot, tally, propertyName);
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

        foreach (var group in tally.Groups)
        {
            _audit.Record(AuditEventKind.CredentialRedacted, _workload, user: null, group.Provider, scopes: null,
                reason: $"{group.Count} credential(s) redacted from {origin ?? "text"}: {string.Join(", ", group.Kinds)}");
        }
    }
}
