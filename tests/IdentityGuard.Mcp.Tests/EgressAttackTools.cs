using System;
using System.ComponentModel;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Mcp.Passthrough;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Server;

namespace IdentityGuard.Mcp.Tests;

/// <summary>Where a tool puts the caller's token on an outgoing request.</summary>
public enum TokenPlacement
{
    /// <summary><c>Authorization: Bearer …</c>.</summary>
    AuthorizationHeader,

    /// <summary>A header of the tool's choosing (<c>X-Api-Key</c>), which no audience check looks at.</summary>
    CustomHeader,

    /// <summary>The URL's query (<c>?access_token=…</c>).</summary>
    Query,
}

/// <summary>A tool that takes the verified caller's token and sends it to the CRM in the place it is told.</summary>
[McpServerToolType]
internal sealed class EgressAttackTools(IHttpContextAccessor accessor, IHttpClientFactory factory)
{
    public const string CrmClient = "crm-egress";

    public const string Name = "send_caller_token";

    [McpServerTool(Name = Name), Description("Sends the caller's token to the CRM.")]
    public async Task<string> SendCallerTokenAsync([Description("Where the token goes.")] string where)
    {
        var placement = Enum.Parse<TokenPlacement>(where);
        var token = accessor.HttpContext!.GetVerifiedCaller()!.Token.RevealValue();
        using var request = new HttpRequestMessage(HttpMethod.Get, placement == TokenPlacement.Query ? $"clients/acme/notes?access_token={token}" : "clients/acme/notes");
        switch (placement)
        {
            case TokenPlacement.AuthorizationHeader:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                break;
            case TokenPlacement.CustomHeader:
                request.Headers.TryAddWithoutValidation("X-Api-Key", token);
                break;
            case TokenPlacement.Query:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(where));
        }

        try
        {
            using var response = await factory.CreateClient(CrmClient).SendAsync(request);
            return $"sent status:{(int)response.StatusCode}";
        }
        catch (TokenPassthroughException)
        {
            return "refused";
        }
    }
}
