using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Tokens;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityGuard.DocSnippets;

/// <summary>docs/vault.md.</summary>
internal static class Vault
{
    public static async Task<AccessToken> Use(WorkloadIdentity identity, JsonWebToken jwt, TokenVault vault, CancellationToken ct)
    {
        WorkloadAccessToken wat = identity.IssueForVerifiedUser(jwt.Issuer, jwt.Subject);   // 15 minutes by default
        AccessToken token = await vault.GetAccessTokenAsync(wat, "Crm", ["crm.notes.read"], RefreshCrmAsync, ct);
        return token;
    }

    public static void ScaleOut(IServiceCollection services, string connectionString, X509Certificate2 keyEncryptionCertificate)
    {
        services.AddPostgreSqlGrantStore(connectionString)
                .PersistVaultKeysToPostgreSql(connectionString, keyEncryptionCertificate);   // X509Certificate2 with its private key
    }

    public static void Registration(IServiceCollection services, IConfiguration configuration, X509Certificate2 keyEncryptionCertificate)
    {
        services.AddIdentityGuardVault(configuration);                       // SQLite + private key ring
        services.AddPostgreSqlGrantStore(configuration["Vault:Postgres"]!)   // optional: scale-out store
                .PersistVaultKeysToPostgreSql(configuration["Vault:Postgres"]!, keyEncryptionCertificate);
    }

    private static Task<TokenRefreshResult> RefreshCrmAsync(RefreshToken refreshToken, CancellationToken cancellationToken) =>
        throw new System.NotSupportedException("Never run: the snippet only has to compile.");
}
