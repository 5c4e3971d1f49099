using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.ManifestContract;

// A tiny JSON document model that remembers where every token is, so each diagnostic can point at the exact
// key or value. It lives only while one manifest is read; the pipeline never caches it.

/// <summary>A JSON value and its span in the manifest text.</summary>
internal abstract class JsonNode
{
    protected JsonNode(TextSpan span) => Span = span;

    public TextSpan Span { get; }

    /// <summary>The JSON type name used in messages ("a string", "an object", …).</summary>
    public abstract string TypeDescription { get; }
}

internal sealed class JsonObject : JsonNode
{
    public JsonObject(TextSpan span, IReadOnlyList<JsonMember> members)
        : base(span) => Members = members;

    /// <summary>The members in document order, duplicates included (the manifest reader reports them).</summary>
    public IReadOnlyList<JsonMember> Members { get; }

    public override string TypeDescription => "an object";
}

internal sealed class JsonMember
{
    public JsonMember(string name, TextSpan nameSpan, JsonNode value)
    {
        Name = name;
        NameSpan = nameSpan;
        Value = value;
    }

    public string Name { get; }

    /// <summary>The span of the quoted key, quotes included.</summary>
    public TextSpan NameSpan { get; }

    public JsonNode Value { get; }
}

internal sealed class JsonArray : JsonNode
{
    public JsonArray(TextSpan span, IReadOnlyList<JsonNode> items)
        : base(span) => Items = items;

    public IReadOnlyList<JsonNode> Items { get; }

    public override string TypeDescription => "an array";
}

internal sealed class JsonString : JsonNode
{
    public JsonString(TextSpan span, string value)
        : base(span) => Value = value;

    public string Value { get; }

    public override string TypeDescription => "a string";
}

internal sealed class JsonNumber : JsonNode
{
    public JsonNumber(TextSpan span)
        : base(span)
    {
    }

    public override string TypeDescription => "a number";
}

internal sealed class JsonBoolean : JsonNode
{
    public JsonBoolean(TextSpan span)
        : base(span)
    {
    }

    public override string TypeDescription => "a boolean";
}

internal sealed class JsonNull : JsonNode
{
    public JsonNull(TextSpan span)
        : base(span)
    {
    }

    public override string TypeDescription => "null";
}
