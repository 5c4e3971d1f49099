using Duende.IdentityModel.Client;

namespace AnalyzerViolations;

/// <summary>Reads the organisation chart for a report: it only needs to read users, but asks for far more.</summary>
public static class DirectoryReports
{
    public static ClientCredentialsTokenRequest CreateTokenRequest(string clientId) => new()
    {
        Address = "https://login.microsoftonline.com/contoso.example/oauth2/v2.0/token",
        ClientId = clientId,
        Scope = "https://graph.microsoft.com/Directory.ReadWrite.All", // expect: IG0101
    };

    // Near miss: reading is all this report needs, and that is fine.
    public static ClientCredentialsTokenRequest CreateReadOnlyTokenRequest(string clientId) => new()
    {
        Address = "https://login.microsoftonline.com/contoso.example/oauth2/v2.0/token",
        ClientId = clientId,
        Scope = "https://graph.microsoft.com/User.Read.All",
    };
}
