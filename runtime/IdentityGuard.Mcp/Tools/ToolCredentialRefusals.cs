using System;
using System.Collections.Generic;
using System.Linq;
using IdentityGuard.Audit;
using IdentityGuard.Federation;
using IdentityGuard.Mcp.Diagnostics;
using IdentityGuard.Providers;
using IdentityGuard.Workload;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Mcp.Tools;

/// <summary>Turns a refused credential into its exception, a log event and a <see cref="AuditEventKind.Denied"/> audit event.</summary>
internal sealed class ToolCredentialRefusals
{
    /// <summary>The audit reason of a credential a tool did not declare.</summary>
    public const string NotDeclaredReason = "credential_not_declared";

    /// <summary>The audit reason of a credential asked for by work a tool left running after its call returned.</summary>
    public const string CallEndedReason = "tool_call_ended";

    private readonly ILogger _logger;
    private readonly AuditLog? _audit;
    private readonly WorkloadIdentity? _identity;
    private readonly string _workload;

    public ToolCredentialRefusals(IServiceProvider services, ILogger logger)
    {
        _logger = logger;
        _audit = services.GetService<AuditLog>();
        _identity = services.GetService<WorkloadIdentity>();
        _workload = services.GetService<CredentialProviderRegistry>()?.Workload ?? "mcp";
    }

    public CredentialUnavailableException Refuse(string tool, ToolCredentialRules rules, in CredentialRequest request, bool callEnded)
    {
        var (declaration, detail, scopes) = rules.Describe(request);
        if (callEnded)
        {
            McpLog.CredentialAfterCallEnded(_logger, tool, request.Provider);
            Record(request.Provider, scopes, CallEndedReason);
            return new CredentialUnavailableException(
                request.Provider,
                $"MCP tool '{tool}' has returned; work it left running gets no credentials after its call ({detail}). Finish the work inside the call, or run it as a background job under the user's standing permission.");
        }

        McpLog.CredentialNotDeclared(_logger, tool, request.Provider, declaration);
        Record(request.Provider, scopes, NotDeclaredReason);
        return new CredentialNotDeclaredException(request.Provider, $"MCP tool '{tool}'", declaration, detail);
    }

    private void Record(string provider, IReadOnlyList<string> scopes, string reason) =>
        _audit?.Record(AuditEventKind.Denied, _workload, UserKey(), provider, scopes.ToArray(), reason);

    /// <summary>The user the refused work acted for, when it had one.</summary>
    private string? UserKey()
    {
        if (_identity is null || WorkloadContext.Current is not { } token)
        {
            return null;
        }

        try
        {
            return _identity.Validate(token).UserKey;
        }
        catch (WorkloadAccessTokenException)
        {
            return null;
        }
    }
}
