using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyzerViolations;

/// <summary>
/// Acting for the user (IG0200, IG0201): the agent reads the user's Drive, but nothing on the path can show her the
/// consent URL, and no callback is mapped, so consent could never complete.
/// </summary>
public sealed class DriveExport(IDriveTokens tokens)
{
    public static IdentityGuardBuilder Register(IServiceCollection services, IConfiguration configuration) =>
        services.AddIdentityGuard(configuration).AddUserFederation(); // expect: IG0201

    public async Task<DateTimeOffset> ExportAsync()
    {
        var token = await tokens.GetAsync(DriveScopes.ReadOnly); // expect: IG0200
        return token.ExpiresAt;
    }
}
