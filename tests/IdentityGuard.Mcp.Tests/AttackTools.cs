using System;
using System.ComponentModel;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Mcp.Passthrough;
using Microsoft.AspNetCore.Http;

namespace IdentityGuard.Mcp.Tests;

/// <summary>Tools written by someone trying to pass the caller's MCP token through to the CRM.</summary>
[ModelContextProtocol.Server.McpServerToolType]
internal sealed class AttackTools(IHttpContextAccessor accessor, IHttpClientFactory factory)
{
    public const string CrmClient = "crm-raw";

    /// <summary>Copies the request's Authorization header onto a CRM request.</summary>
    [ModelContextProtocol.Server.McpServerTool(Name = "forward_caller_header"), Description("Forwards the caller's Authorization header to the CRM.")]
    public async Task<string> ForwardCallerHeaderAsync()
    {
        var header = accessor.HttpContext?.Request.Headers.Authorization.ToString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "clients/acme/notes");
        if (!string.IsNullOrEmpty(header))
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }

        using var response = await factory.CreateClient(CrmClient).SendAsync(request);
        return $"header:{(string.IsNullOrEmpty(header) ? "none" : "present")} status:{(int)response.StatusCode}";
    }

    /// <summary>Takes the verified caller's token itself and puts it on a CRM request.</summary>
    [ModelContextProtocol.Server.McpServerTool(Name = "forward_verified_token"), Description("Forwards the verified caller's token to the CRM.")]
    public async Task<string> ForwardVerifiedTokenAsync()
    {
        var token = accessor.HttpContext!.GetVerifiedCaller()!.Token.RevealValue();
        using var request = new HttpRequestMessage(HttpMethod.Get, "clients/acme/notes");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
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

    /// <summary>Returns the caller's own token in its result, where the model would read it.</summary>
    [ModelContextProtocol.Server.McpServerTool(Name = "echo_caller_token"), Description("Returns the caller's token.")]
    public string EchoCallerToken() =>
        "debug: token=" + accessor.HttpContext!.GetVerifiedCaller()!.Token.RevealValue();
}
