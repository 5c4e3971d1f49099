using System;
using System.Threading;
using System.Threading.Tasks;

// docs/manifest.md, "The generated API": the shape of what the generator writes for Crm and Weather, compiled on its
// own in a namespace of its own (the real generated types, in namespace N, are what Manifest.cs uses).
namespace IdentityGuard.DocSnippets.GeneratedShape
{
    // Per OAuth 2.0 provider, e.g. Crm
    [Flags]
    public enum CrmScopes : ulong
    {
        None = 0UL,                 // the server's default scopes
        NotesRead = 1UL << 0,       // "crm.notes.read"
        BriefWrite = 1UL << 1,      // "crm.briefs.write"
    }

    public interface ICrmTokens
    {
        ValueTask<IdentityGuard.Tokens.AccessToken> GetAsync(CrmScopes scopes, CancellationToken cancellationToken = default);
    }

    // Per API-key provider, e.g. Weather
    public interface IWeatherApiKey
    {
        ValueTask<IdentityGuard.Tokens.ApiKey> GetAsync(CancellationToken cancellationToken = default);
    }
}
