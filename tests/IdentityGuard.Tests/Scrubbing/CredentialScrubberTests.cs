using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityGuard.Analyzers.Secrets;
using IdentityGuard.Audit;
using IdentityGuard.Scrubbing;
using IdentityGuard.Tokens;
using Xunit;

namespace IdentityGuard.Tests.Scrubbing;

/// <summary>
/// Each test is an attempt to get a credential the process holds (or one of a known shape) past the scrubber, in a
/// form a tool result or a message could plausibly carry it.
/// </summary>
public sealed class CredentialScrubberTests
{
    private const string Marker = CredentialScrubber.Marker;
    private static readonly JsonSerializerOptions StrictEncoder = new() { Encoder = JavaScriptEncoder.Default };
    private static readonly JsonSerializerOptions RelaxedEncoder = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void A_held_token_in_a_tool_result_is_replaced_and_the_redaction_is_audited_without_the_value()
    {
        var fixture = new ScrubberFixture();
        var token = fixture.Hold("Reports");

        var scrubbed = fixture.Scrubber.Scrub($"Report ready. Debug: token={token}; rows=12", "tool result get_report");

        Assert.DoesNotContain(token, scrubbed, StringComparison.Ordinal);
        Assert.Equal($"Report ready. Debug: token={Marker}; rows=12", scrubbed);
        var audit = Assert.Single(fixture.Trail.Events);
        Assert.Equal(AuditEventKind.CredentialRedacted, audit.Kind);
        Assert.Equal("report-agent", audit.Workload);
        Assert.Equal("Reports", audit.Provider);
        Assert.Contains("tool result get_report", audit.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(token, audit.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_crafted_origin_cannot_forge_an_audit_line()
    {
        // The origin may carry a tool name chosen by the model.
        var fixture = new ScrubberFixture();
        var token = fixture.Hold();

        fixture.Scrubber.Scrub(token, "tool result x\n2026-11-30T00:00:00Z GrantRevoked workload=other " + new string('a', 200));

        var reason = Assert.Single(fixture.Trail.Events).Reason!;
        Assert.DoesNotContain('\n', reason);
        Assert.True(reason.Length < 200);
    }

    [Fact]
    public void Clean_text_comes_back_as_the_same_instance_and_nothing_is_audited()
    {
        var fixture = new ScrubberFixture();
        fixture.Hold();
        var text = "Twelve sales records in EMEA, total 1,234.50. Next step: call the account owner at 10:00.";

        Assert.Same(text, fixture.Scrubber.Scrub(text));
        Assert.Empty(fixture.Trail.Events);
    }

    [Fact]
    public void A_held_token_written_by_System_Text_Json_with_escaped_characters_is_found()
    {
        // The default encoder writes '+' as \u002B: a base64 token in serialized JSON is not its raw self.
        var fixture = new ScrubberFixture();
        var token = fixture.Hold();
        var json = JsonSerializer.Serialize(new { debug = new { token } });
        Assert.DoesNotContain(token, json, StringComparison.Ordinal);

        var scrubbed = fixture.Scrubber.Scrub(json);

        Assert.Equal("{\"debug\":{\"token\":\"" + Marker + "\"}}", scrubbed);
    }

    [Fact]
    public void A_held_token_with_every_character_json_escaped_is_found()
    {
        var fixture = new ScrubberFixture();
        var token = fixture.Hold();
        var escaped = string.Concat(token.Select(c => $"\\u{(int)c:x4}"));

        var scrubbed = fixture.Scrubber.Scrub("{\"note\":\"" + escaped + "\"}");

        Assert.Equal("{\"note\":\"" + Marker + "\"}", scrubbed);
    }

    [Fact]
    public void A_held_jwt_split_by_an_escaped_dot_is_found()
    {
        var fixture = new ScrubberFixture();
        var jwt = Jwt();
        fixture.Held.Remember(jwt, "Crm", fixture.Time.GetUtcNow().AddHours(1));

        var scrubbed = fixture.Scrubber.Scrub("token: " + jwt.Replace(".", "\\u002e", StringComparison.Ordinal) + " end");

        Assert.Equal("token: " + Marker + " end", scrubbed);
        Assert.Equal("Crm", Assert.Single(fixture.Trail.Events).Provider);
    }

    [Fact]
    public void A_held_token_url_encoded_in_a_link_is_found()
    {
        var fixture = new ScrubberFixture();
        var token = fixture.Hold();
        var link = "https://reports.example.net/export?format=csv&t=" + Uri.EscapeDataString(token) + "&page=2";
        Assert.DoesNotContain(token, link, StringComparison.Ordinal);

        var scrubbed = fixture.Scrubber.Scrub(link);

        Assert.Equal("https://reports.example.net/export?format=csv&t=" + Marker + "&page=2", scrubbed);
    }

    [Fact]
    public void A_held_token_with_every_character_percent_encoded_or_encoded_twice_is_found()
    {
        var fixture = new ScrubberFixture();
        var token = fixture.Hold();
        var once = string.Concat(token.Select(c => $"%{(int)c:X2}"));
        var twice = once.Replace("%", "%25", StringComparison.Ordinal);

        Assert.Equal("a " + Marker + " b", fixture.Scrubber.Scrub("a " + once + " b"));
        Assert.Equal("a " + Marker + " b", fixture.Scrubber.Scrub("a " + twice + " b"));
    }

    [Fact]
    public void A_held_token_in_json_text_inside_a_json_string_is_found()
    {
        // A tool that returns JSON text which is then serialized again: the token's escapes are themselves escaped.
        var fixture = new ScrubberFixture();
        var token = fixture.Hold();
        var inner = JsonSerializer.Serialize(new { access = token });
        var outer = JsonSerializer.Serialize(new { result = inner });

        var scrubbed = fixture.Scrubber.Scrub(outer);

        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(token))[..8], scrubbed, StringComparison.Ordinal);
        Assert.Contains(Marker, scrubbed, StringComparison.Ordinal);
        var roundTrip = JsonNode.Parse(JsonNode.Parse(scrubbed)!["result"]!.GetValue<string>())!;
        Assert.Equal(Marker, roundTrip["access"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("report-job:")]
    [InlineData("ab")]
    public void A_held_secret_inside_a_base64_blob_such_as_a_basic_header_is_found(string prefix)
    {
        var fixture = new ScrubberFixture();
        var secret = fixture.Hold();
        var blob = Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + secret));

        var scrubbed = fixture.Scrubber.Scrub("Authorization: Basic " + blob);

        Assert.Equal("Authorization: Basic " + Marker, scrubbed);
        Assert.Contains("held value in base64", Assert.Single(fixture.Trail.Events).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_held_token_inside_base64url_is_found()
    {
        var fixture = new ScrubberFixture();
        var secret = fixture.Hold();
        var blob = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"t\":\"" + secret + "\"}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal("state=" + Marker, fixture.Scrubber.Scrub("state=" + blob));
    }

    [Fact]
    public void A_bearer_header_dump_loses_its_credential_even_when_the_token_is_not_held()
    {
        var fixture = new ScrubberFixture();
        var foreign = ScrubberFixture.OpaqueToken();

        var scrubbed = fixture.Scrubber.Scrub("GET /reports/sales HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer " + foreign + "\r\nAccept: */*");

        Assert.Equal("GET /reports/sales HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer " + Marker + "\r\nAccept: */*", scrubbed);
    }

    [Theory]
    [InlineData("Proxy-Authorization: Bearer {0}")]
    [InlineData("AUTHORIZATION: bearer {0}")]
    [InlineData("{{\"authorization\":\"DPoP {0}\"}}")]
    [InlineData("GET /cb?code=1&access_token={0}&state=2")]
    [InlineData("X-API-KEY={0}")]
    public void Credential_contexts_are_found_in_any_case_and_form(string template)
    {
        var fixture = new ScrubberFixture();
        var foreign = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));

        var scrubbed = fixture.Scrubber.Scrub(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, foreign));

        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Marker), scrubbed);
    }

    [Fact]
    public void A_token_response_dump_loses_its_tokens()
    {
        var fixture = new ScrubberFixture();
        var access = ScrubberFixture.OpaqueToken();
        var refresh = ScrubberFixture.OpaqueToken();

        var scrubbed = fixture.Scrubber.Scrub($"{{\"access_token\":\"{access}\",\"token_type\":\"Bearer\",\"refresh_token\":\"{refresh}\"}}");

        Assert.Equal($"{{\"access_token\":\"{Marker}\",\"token_type\":\"Bearer\",\"refresh_token\":\"{Marker}\"}}", scrubbed);
    }

    [Fact]
    public void A_jwt_the_process_never_held_is_redacted_by_its_shape()
    {
        var fixture = new ScrubberFixture();
        var jwt = Jwt();

        var scrubbed = fixture.Scrubber.Scrub("The session is " + jwt + ".");

        Assert.Equal("The session is " + Marker + ".", scrubbed);
        var audit = Assert.Single(fixture.Trail.Events);
        Assert.Null(audit.Provider);
        Assert.Contains("known format jwt", audit.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_encrypted_jwt_the_process_never_held_is_replaced_whole(bool withEncryptedKey)
    {
        // JWE compact serialization: header.encrypted-key.iv.ciphertext.tag; the key part is empty for "dir".
        var fixture = new ScrubberFixture();
        var jwe = Jwe(withEncryptedKey);

        var scrubbed = fixture.Scrubber.Scrub("The session is " + jwe + ".");

        Assert.Equal("The session is " + Marker + ".", scrubbed);
        foreach (var part in jwe.Split('.').Where(p => p.Length > 0))
        {
            Assert.DoesNotContain(part, scrubbed, StringComparison.Ordinal);
        }

        Assert.Contains("known format jwt", Assert.Single(fixture.Trail.Events).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workload_access_token_from_any_instance_is_redacted_by_its_shape_also_when_escaped()
    {
        // Not held here (another instance of the workload may have issued it): its prefix gives it away.
        var fixture = new ScrubberFixture();
        var token = Workload.WorkloadIdentity.TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(120)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var escaped = token.Replace(".", "\\u002e", StringComparison.Ordinal);

        Assert.Equal("ctx " + Marker + " end", fixture.Scrubber.Scrub("ctx " + token + " end"));
        Assert.Equal("{\"wat\":\"" + Marker + "\"}", fixture.Scrubber.Scrub("{\"wat\":\"" + escaped + "\"}"));
        Assert.All(fixture.Trail.Events, e => Assert.Contains("known format workload-access-token", e.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void A_vendor_key_in_an_ig0001_format_is_redacted_by_its_shape()
    {
        // A GitHub token with a valid checksum, built the way GitHub builds them.
        var fixture = new ScrubberFixture();
        var random = new string(Enumerable.Range(0, 30).Select(_ => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[RandomNumberGenerator.GetInt32(62)]).ToArray());
        var token = "ghp_" + random + FormatChecks.EncodeBase62(Crc32.Compute("ghp_" + random, 4, 30), 6);

        var scrubbed = fixture.Scrubber.Scrub("clone with " + token + " please");

        Assert.Equal("clone with " + Marker + " please", scrubbed);
        Assert.Contains("known format github-classic-token", Assert.Single(fixture.Trail.Events).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_jwt_string_value_in_a_json_element_is_replaced_and_the_rest_kept()
    {
        var fixture = new ScrubberFixture();
        var held = fixture.Hold();
        var element = JsonSerializer.SerializeToElement(new
        {
            region = "EMEA",
            total = 1234.5,
            rows = new object[] { new { id = 1, note = "ok" }, new { id = 2, note = "auth " + held } },
            headers = new System.Collections.Generic.Dictionary<string, string> { [held] = "as a key" },
        });

        var scrubbed = fixture.Scrubber.Scrub(element, "tool result");

        var text = scrubbed.GetRawText();
        Assert.DoesNotContain(held, text, StringComparison.Ordinal);
        Assert.Equal("EMEA", scrubbed.GetProperty("region").GetString());
        Assert.Equal(1234.5, scrubbed.GetProperty("total").GetDouble());
        Assert.Equal("auth " + Marker, scrubbed.GetProperty("rows")[1].GetProperty("note").GetString());
        Assert.Equal("as a key", scrubbed.GetProperty("headers").GetProperty(Marker).GetString());
        var audit = Assert.Single(fixture.Trail.Events);
        Assert.Contains("2 credential(s)", audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_header_and_token_fields_lose_their_credentials_even_when_not_held()
    {
        // In JSON the name and the value are separate strings: the name says what the value is.
        var fixture = new ScrubberFixture();
        var bearer = ScrubberFixture.OpaqueToken();
        var access = ScrubberFixture.OpaqueToken();
        var json = "{\"request\":{\"headers\":{\"Authorization\":\"Bearer " + bearer + "\",\"Accept\":\"application/json\"}},\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\"}";

        var element = fixture.Scrubber.Scrub(JsonDocument.Parse(json).RootElement);
        var node = fixture.Scrubber.Scrub(JsonNode.Parse(json))!;

        foreach (var text in new[] { element.GetRawText(), node.ToJsonString() })
        {
            Assert.DoesNotContain(bearer, text, StringComparison.Ordinal);
            Assert.DoesNotContain(access, text, StringComparison.Ordinal);
        }

        Assert.Equal("Bearer " + Marker, element.GetProperty("request").GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal(Marker, element.GetProperty("access_token").GetString());
        Assert.Equal("application/json", element.GetProperty("request").GetProperty("headers").GetProperty("Accept").GetString());
        Assert.Equal("Bearer " + Marker, node["request"]!["headers"]!["Authorization"]!.GetValue<string>());
        Assert.Equal(Marker, node["access_token"]!.GetValue<string>());
    }

    [Fact]
    public void A_clean_json_element_comes_back_unchanged()
    {
        var fixture = new ScrubberFixture();
        fixture.Hold();
        var element = JsonSerializer.SerializeToElement(new { region = "EMEA", rows = new[] { 1, 2, 3 } });

        var scrubbed = fixture.Scrubber.Scrub(element);

        Assert.Equal(element.GetRawText(), scrubbed.GetRawText());
        Assert.Empty(fixture.Trail.Events);
    }

    [Fact]
    public void A_json_node_is_scrubbed_in_place_values_and_names()
    {
        var fixture = new ScrubberFixture();
        var held = fixture.Hold();
        var node = new JsonObject
        {
            ["a"] = "x " + held,
            [held] = 1,
            ["list"] = new JsonArray("clean", held, JsonValue.Create(5)),
        };

        var result = fixture.Scrubber.Scrub(node, "mcp tool result");

        Assert.Same(node, result);
        var text = node.ToJsonString();
        Assert.DoesNotContain(held, text, StringComparison.Ordinal);
        Assert.Equal("x " + Marker, node["a"]!.GetValue<string>());
        Assert.Equal(1, node[Marker]!.GetValue<int>());
        Assert.Equal(Marker, node["list"]![1]!.GetValue<string>());
        Assert.Equal(new[] { "a", Marker, "list" }, node.Select(p => p.Key));
    }

    [Fact]
    public void A_root_string_node_is_replaced()
    {
        var fixture = new ScrubberFixture();
        var held = fixture.Hold();

        var result = fixture.Scrubber.Scrub(JsonValue.Create("t=" + held));

        Assert.Equal("t=" + Marker, result!.GetValue<string>());
    }

    [Fact]
    public void An_expired_token_is_no_longer_looked_for()
    {
        var fixture = new ScrubberFixture();
        var token = fixture.Hold(lifetime: TimeSpan.FromMinutes(5));
        Assert.Equal(Marker, fixture.Scrubber.Scrub(token));

        fixture.Time.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal(token, fixture.Scrubber.Scrub(token));
        Assert.Equal(0, fixture.Held.Count);
    }

    [Fact]
    public void The_store_is_bounded_and_forgets_the_value_closest_to_expiry_first()
    {
        var fixture = new ScrubberFixture(capacity: 3);
        var soonest = fixture.Hold(lifetime: TimeSpan.FromMinutes(1));
        var others = Enumerable.Range(0, 3).Select(_ => fixture.Hold(lifetime: TimeSpan.FromHours(1))).ToArray();

        Assert.Equal(3, fixture.Held.Count);
        Assert.Equal(soonest, fixture.Scrubber.Scrub(soonest));
        Assert.All(others, token => Assert.Equal(Marker, fixture.Scrubber.Scrub(token)));
    }

    [Fact]
    public void Short_values_are_not_held_so_ordinary_words_are_never_redacted()
    {
        var fixture = new ScrubberFixture();
        fixture.Held.Remember("1234", "Pin", fixture.Time.GetUtcNow().AddHours(1));

        Assert.Equal(0, fixture.Held.Count);
        Assert.Equal("order 1234 shipped", fixture.Scrubber.Scrub("order 1234 shipped"));
    }

    [Fact]
    public void The_store_never_prints_or_serializes_a_value()
    {
        var fixture = new ScrubberFixture();
        var token = fixture.Hold();
        var accessToken = new AccessToken(ScrubberFixture.OpaqueToken(), "Bearer", fixture.Time.GetUtcNow().AddHours(1));
        fixture.Held.Remember(accessToken, "Reports");

        var printed = fixture.Held.ToString() + JsonSerializer.Serialize(fixture.Held) + fixture.Scrubber.ToString() + JsonSerializer.Serialize(fixture.Scrubber);

        Assert.DoesNotContain(token, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(accessToken.RevealValue(), printed, StringComparison.Ordinal);
        Assert.Equal(2, fixture.Held.Count);
    }

    [Fact]
    public void Overlapping_findings_become_one_marker()
    {
        // The held value is also a JWT and sits in an Authorization header: three findings, one redaction.
        var fixture = new ScrubberFixture();
        var jwt = Jwt();
        fixture.Held.Remember(jwt, "Crm", fixture.Time.GetUtcNow().AddHours(1));

        var scrubbed = fixture.Scrubber.Scrub("Authorization: Bearer " + jwt);

        Assert.Equal("Authorization: Bearer " + Marker, scrubbed);
        Assert.Contains("1 credential(s)", Assert.Single(fixture.Trail.Events).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_html_safe_encoder_output_and_the_relaxed_one_are_both_scrubbed()
    {
        var fixture = new ScrubberFixture();
        var token = fixture.Hold();
        var strict = JsonSerializer.Serialize(new { token }, StrictEncoder);
        var relaxed = JsonSerializer.Serialize(new { token }, RelaxedEncoder);

        Assert.Equal("{\"token\":\"" + Marker + "\"}", fixture.Scrubber.Scrub(strict));
        Assert.Equal("{\"token\":\"" + Marker + "\"}", fixture.Scrubber.Scrub(relaxed));
    }

    internal static string Jwe(bool withEncryptedKey)
    {
        static string Part(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = withEncryptedKey ? "{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\"}" : "{\"alg\":\"dir\",\"enc\":\"A256GCM\"}";
        var key = withEncryptedKey ? Part(RandomNumberGenerator.GetBytes(256)) : string.Empty;
        return Part(Encoding.UTF8.GetBytes(header)) + "." + key + "." + Part(RandomNumberGenerator.GetBytes(12)) + "." + Part(RandomNumberGenerator.GetBytes(90)) + "." + Part(RandomNumberGenerator.GetBytes(16));
    }

    internal static string Jwt()
    {
        static string Segment(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var signature = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return Segment("{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}") + "." + Segment("{\"sub\":\"maria\",\"scope\":\"crm.read\",\"exp\":1893456000}") + "." + signature;
    }
}
