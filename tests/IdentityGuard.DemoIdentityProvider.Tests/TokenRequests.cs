using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace IdentityGuard.Demo.Tests;

/// <summary>A token endpoint answer: status plus the parsed JSON body.</summary>
public sealed record TokenResponse(HttpStatusCode Status, JsonElement Body)
{
    public string? AccessToken => Get("access_token");

    public string? RefreshToken => Get("refresh_token");

    public string? Error => Get("error");

    private string? Get(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value) ? value.GetString() : null;
}

/// <summary>Plain form posts to the token endpoint, deliberately without any OAuth client library.</summary>
public static class TokenRequests
{
    public static Task<TokenResponse> ClientCredentialsAsync(HttpClient http, Uri tokenEndpoint, string clientId, string clientSecret, string scope) =>
        PostAsync(http, tokenEndpoint, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["scope"] = scope,
        });

    public static async Task<TokenResponse> PostAsync(HttpClient http, Uri tokenEndpoint, Dictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(tokenEndpoint, content);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return new TokenResponse(response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>Reads a JWT's payload without validating it, to check what the server put in the token.</summary>
    public static JsonElement ReadPayload(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        return document.RootElement.Clone();
    }
}
