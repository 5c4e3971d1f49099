using Duende.IdentityModel.Client;
using Microsoft.IdentityModel.Tokens;

namespace AnalyzerViolations;

/// <summary>Weakened validation (IG0400-IG0402): switches flipped while "getting it to work".</summary>
public static class JwtSetup
{
    public static TokenValidationParameters Create() => new()
    {
        ValidIssuer = "https://login.example.com",
        ValidateAudience = false, // expect: IG0400
        ValidateLifetime = true,
        LifetimeValidator = (notBefore, expires, token, parameters) => true, // expect: IG0400
    };

    public static HttpClient CreateTokenClient() => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator, // expect: IG0401
    });

    public static async Task<string?> TokenEndpointAsync(HttpClient client)
    {
        var discovery = await client.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
        {
            Address = "http://login.partner.example", // expect: IG0402
        });

        // A near miss that must stay quiet: plain http on loopback, for a local identity provider.
        var local = new DiscoveryDocumentRequest { Address = "http://127.0.0.1:5000" };
        return discovery.TokenEndpoint ?? local.Address;
    }
}
