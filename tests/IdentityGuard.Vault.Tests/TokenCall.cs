using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// What one caller got through the front: the status, the instance that answered (<see langword="null"/> when the
/// front answered itself, e.g. 502 for an instance it could not reach), a fingerprint of the token (never the token)
/// and its expiry, or the failure.
/// </summary>
internal sealed record CallerResult(HttpStatusCode Status, string? Instance, string? Fingerprint, DateTimeOffset? ExpiresAt, string? Error)
{
    /// <summary>Answered by an instance with a token.</summary>
    public bool Served => Status == HttpStatusCode.OK && Instance is not null && Error is null && Fingerprint is not null;
}

/// <summary>
/// One token call to the agent through the front, read as it streams: the instance tag arrives with the first line,
/// then (if the instance had to ask the user) the authorization URL, then the result.
/// </summary>
internal sealed class TokenCall : IDisposable
{
    /// <summary>The header each instance tags its answers with.</summary>
    public const string InstanceHeader = "X-Agent-Instance";

    private readonly HttpResponseMessage _response;
    private readonly StreamReader _lines;

    private TokenCall(HttpResponseMessage response, StreamReader lines, string? instance)
    {
        _response = response;
        _lines = lines;
        Instance = instance;
    }

    public HttpStatusCode Status => _response.StatusCode;

    /// <summary>The instance the front sent the call to, or <see langword="null"/> when the front answered itself.</summary>
    public string? Instance { get; }

    public static async Task<TokenCall> StartAsync(HttpClient front, string subject)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"users/{subject}/token", UriKind.Relative));
        var response = await front.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var instance = InstanceOf(response);
        var call = new TokenCall(response, new StreamReader(await response.Content.ReadAsStreamAsync()), instance);
        if (instance is not null && response.IsSuccessStatusCode)
        {
            var accepted = await call.ReadLineAsync();
            if (accepted.Kind != "accepted")
            {
                call.Dispose();
                throw new InvalidOperationException($"{instance} began its answer with '{accepted.Kind}'.");
            }
        }

        return call;
    }

    /// <summary>The instance named by an answer's tag, or <see langword="null"/> for an answer of the front itself.</summary>
    public static string? InstanceOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(InstanceHeader, out var values) ? values.Single() : null;

    /// <summary>The authorization URL the instance presented to the user for this call.</summary>
    public async Task<Uri> ConsentUrlAsync()
    {
        var line = await ReadLineAsync();
        return line.Kind == "consent" && line.AuthorizationUrl is { } url
            ? new Uri(url)
            : throw new InvalidOperationException($"{Instance} answered '{line.Kind}' ({line.Error}) where a consent request was expected.");
    }

    public async Task<CallerResult> ResultAsync()
    {
        if (Instance is null || !_response.IsSuccessStatusCode)
        {
            return new CallerResult(Status, Instance, null, null, $"{(Instance ?? "the front")} answered {(int)Status}");
        }

        var line = await ReadLineAsync();
        return line.Kind == "result"
            ? new CallerResult(Status, Instance, line.Fingerprint, line.ExpiresAt, line.Error)
            : throw new InvalidOperationException($"{Instance} answered '{line.Kind}' where the result was expected.");
    }

    public void Dispose()
    {
        _lines.Dispose();
        _response.Dispose();
    }

    private async Task<Line> ReadLineAsync()
    {
        var text = await _lines.ReadLineAsync() ?? throw new EndOfStreamException($"The answer of {Instance} ended early.");
        return JsonSerializer.Deserialize<Line>(text, JsonSerializerOptions.Web)!;
    }

    private sealed record Line(string Kind, string? AuthorizationUrl, string? Fingerprint, DateTimeOffset? ExpiresAt, string? Error);
}
