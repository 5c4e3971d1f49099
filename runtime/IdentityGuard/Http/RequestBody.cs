using System.Net.Http;
using System.Net.Http.Json;

namespace IdentityGuard.Http;

/// <summary>Whether a request body can be sent a second time (on a 401 replay or a 307/308 redirect).</summary>
internal static class RequestBody
{
    /// <summary>
    /// True for bodies that are rebuilt from memory on every send. A stream body is not: a non-seekable stream
    /// is used up by the first send, and HttpContent does not say whether its stream can seek, so a stream body
    /// is never replayed.
    /// </summary>
    public static bool CanReplay(HttpContent? content)
    {
        switch (content)
        {
            case null:
            case ByteArrayContent:
            case ReadOnlyMemoryContent:
            case JsonContent:
                return true;
            case MultipartContent multipart:
                foreach (var part in multipart)
                {
                    if (!CanReplay(part))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }
}
