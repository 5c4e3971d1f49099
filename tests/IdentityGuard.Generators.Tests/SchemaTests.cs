using System.IO;
using System.Linq;
using System.Text.Json;
using IdentityGuard.ManifestContract;
using IdentityGuard.Generators.Tests.Infrastructure;
using Xunit;

namespace IdentityGuard.Generators.Tests;

/// <summary>The JSON Schema that editors use must describe exactly the manifest the generator reads.</summary>
public sealed class SchemaTests
{
    private static readonly JsonElement Definitions = LoadDefinitions();

    [Fact]
    public void Schema_enums_equal_the_generator_vocabulary()
    {
        Assert.Equal(ManifestVocabulary.Kinds, Enum("kind"));
        Assert.Equal(ManifestVocabulary.Flows, Enum("flow"));
        Assert.Equal(VendorCatalog.Names, Enum("vendor"));
    }

    [Fact]
    public void Schema_properties_equal_the_generator_property_lists()
    {
        Assert.Equal(ManifestVocabulary.OAuth2Properties.Order(), PropertyNames("oauth2Provider").Order());
        Assert.Equal(ManifestVocabulary.ApiKeyProperties.Order(), PropertyNames("apiKeyProvider").Order());
        Assert.Equal(ManifestVocabulary.ReferenceProperties.Order(), PropertyNames("reference").Order());
    }

    [Fact]
    public void Schema_scope_limit_equals_the_generator_limit()
    {
        Assert.Equal(ManifestVocabulary.MaxScopes, Definitions.GetProperty("scopes").GetProperty("maxProperties").GetInt32());
    }

    private static string[] Enum(string definition) =>
        Definitions.GetProperty(definition).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static string[] PropertyNames(string definition) =>
        Definitions.GetProperty(definition).GetProperty("properties").EnumerateObject().Select(p => p.Name).ToArray();

    private static JsonElement LoadDefinitions()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Schema));
        return document.RootElement.GetProperty("$defs").Clone();
    }
}
