using System;
using System.Text.Json;
using IdentityGuard.Manifest;
using IdentityGuard.Tokens;
using Xunit;

namespace IdentityGuard.Tests.Tokens;

public sealed class RedactionTests
{
    private const string Secret = "eyJhbGciOiJSUzI1NiJ9.secret-token-value.signature";

    [Fact]
    public void AccessToken_ToString_never_contains_the_value()
    {
        var token = new AccessToken(Secret, "Bearer", DateTimeOffset.UnixEpoch, "sales.read");
        Assert.DoesNotContain(Secret, token.ToString(), StringComparison.Ordinal);
        Assert.Contains("[redacted]", token.ToString(), StringComparison.Ordinal);
        Assert.Contains("sales.read", token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_serialize_as_redacted_even_inside_other_objects()
    {
        var toolResult = new
        {
            Summary = "ok",
            Token = new AccessToken(Secret, "Bearer", DateTimeOffset.UnixEpoch),
            Key = new ApiKey(Secret, ApiKeyPlacement.Header, "X-Api-Key"),
        };

        var json = JsonSerializer.Serialize(toolResult);

        Assert.DoesNotContain(Secret, json, StringComparison.Ordinal);
        Assert.Equal("""{"Summary":"ok","Token":"[redacted]","Key":"[redacted]"}""", json);
    }

    [Fact]
    public void Credentials_cannot_be_read_from_json()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<AccessToken>("\"abc\""));
    }

    [Fact]
    public void ApiKey_ToString_never_contains_the_value()
    {
        var key = new ApiKey(Secret, ApiKeyPlacement.Query, "key");
        Assert.DoesNotContain(Secret, key.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ValueReference_describes_where_a_secret_lives_without_reading_it()
    {
        Assert.Equal("environment variable 'REPORTS_SECRET'", ValueReference.FromEnvironment("REPORTS_SECRET").ToString());
        Assert.Equal("configuration 'Crm:Secret'", ValueReference.FromConfiguration("Crm:Secret").ToString());
    }
}
