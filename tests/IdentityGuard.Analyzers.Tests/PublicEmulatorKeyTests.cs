using System.Threading.Tasks;
using Xunit;
using static IdentityGuard.Analyzers.Tests.Fake;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// IG0001/IG0002 and the emulators' published keys: the Azurite (Azure Storage emulator) account key and the Azure
/// Cosmos DB emulator key are printed in the vendors' documentation and only open local emulators, so they are not
/// secrets. Exactly those values are exempt; a key one character away is still reported.
/// </summary>
public class PublicEmulatorKeyTests
{
    private static readonly string AzuriteKey = FakeCredentials.Published["azurite"];
    private static readonly string CosmosEmulatorKey = FakeCredentials.Published["cosmos-emulator"];

    /// <summary>The same length and alphabet with one character changed: a real-looking key that is not the published one.</summary>
    private static string OneCharacterAway(string key) => Join(key.Substring(0, 10), key[10] == 'A' ? "B" : "A", key.Substring(11));

    [Fact]
    public Task Azurite_connection_string_and_key_are_not_reported() => Verify.AnalyzerAsync($$"""
        class C
        {
            string connectionString = {{CSharp(Join("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;Account", "Key=", AzuriteKey, ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"))}};
            string storageAccountKey = {{CSharp(AzuriteKey)}};
            string accountKey = {{CSharp(AzuriteKey)}};
        }
        """);

    [Fact]
    public Task Cosmos_emulator_connection_string_and_key_are_not_reported() => Verify.AnalyzerAsync($$"""
        class C
        {
            string connectionString = {{CSharp(Join("AccountEndpoint=https://localhost:8081/;Account", "Key=", CosmosEmulatorKey))}};
            string cosmosKey = {{CSharp(CosmosEmulatorKey)}};
            string primaryKey = {{CSharp(CosmosEmulatorKey)}};
        }
        """);

    [Fact]
    public Task A_key_one_character_away_from_a_published_one_is_still_reported() => Verify.AnalyzerAsync($$"""
        class C
        {
            string connectionString = {|#0:{{CSharp(Join("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;Account", "Key=", OneCharacterAway(AzuriteKey)))}}|};
            string storageAccountKey = {|#1:{{CSharp(OneCharacterAway(AzuriteKey))}}|};
            string cosmos = {|#2:{{CSharp(Join("AccountEndpoint=https://localhost:8081/;Account", "Key=", OneCharacterAway(CosmosEmulatorKey)))}}|};
        }
        """,
        Verify.IG0001("Azure storage account key").WithLocation(0),
        Verify.IG0001("Azure storage account key").WithLocation(1),
        Verify.IG0001("Azure storage account key").WithLocation(2));

    [Fact]
    public Task Published_key_in_appsettings_is_not_reported() => Verify.AnalyzerAsync(
        "class C { }",
        new[] { ("/app/appsettings.Development.json", $$"""{ "Storage": { "ConnectionString": {{Json(Join("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;Account", "Key=", AzuriteKey))}} }, "Cosmos": { "Key": {{Json(CosmosEmulatorKey)}} } }""") },
        null);
}
