using System.Diagnostics;
using IdentityGuard.Tokens;
using Microsoft.Extensions.Logging;

namespace AnalyzerViolations;

/// <summary>Tokens written to logs (IG0300): "temporary" debugging that ships.</summary>
public sealed class TokenDiagnostics(ILogger logger)
{
    public void Trace(AccessToken token, ApiKey weatherKey)
    {
        logger.LogDebug("Calling CRM with {Token}", token.RevealValue()); // expect: IG0300

        var header = "Bearer " + token.RevealValue();
        Console.WriteLine(header); // expect: IG0300

        Activity.Current?.SetTag("weather.key", weatherKey.RevealValue()); // expect: IG0300

        // Near misses that must stay quiet: the token object prints redacted; expiry and scope are not secrets.
        logger.LogInformation("Using {Token}, expires {ExpiresAt}, scope {Scope}", token, token.ExpiresAt, token.Scope);
    }

    public async Task<string> DescribeAsync(ICrmTokens tokens)
    {
        var token = await tokens.GetAsync(CrmScopes.NotesRead);
        if (token.ExpiresAt < DateTimeOffset.UtcNow)
        {
            throw new InvalidOperationException("Expired token " + token.RevealValue()); // expect: IG0300
        }

        return token.ToString();
    }
}
