using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Authorization;
using IdentityGuard.Consent;
using IdentityGuard.Federation;
using IdentityGuard.Mcp.Consent;
using IdentityGuard.Mcp.Diagnostics;
using IdentityGuard.Mcp.Passthrough;
using IdentityGuard.Mcp.Requirements;
using IdentityGuard.Mcp.Results;
using IdentityGuard.Mcp.Workload;
using IdentityGuard.Providers;
using IdentityGuard.Workload;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace IdentityGuard.Mcp.Tools;

/// <summary>
/// The MCP request filters of IdentityGuard. <c>tools/list</c> shows a caller only the tools its token's scopes allow.
/// <c>tools/call</c> checks the tool's requirements before it runs, runs it as the verified caller (the workload
/// context of user-federation providers) under its credential use policy (only the credentials it declared, nothing
/// after the call), turns a missing user grant raised anywhere in the call into a URL-mode elicitation for that user,
/// and passes the result through the registered <see cref="IMcpToolResultProcessor"/>s.
/// </summary>
internal sealed class McpToolGate
{
    private readonly ToolRequirementCatalog _catalog;
    private readonly WorkloadIdentity? _identity;
    private readonly WorkloadTokenReuse? _workloadTokens;
    private readonly CredentialProviderRegistry? _registry;
    private readonly IMcpToolResultProcessor[] _processors;
    private readonly ILogger _logger;
    private readonly ToolCredentialRefusals _refusals;
    private readonly bool _undeclaredToolsUseAnything;
    private readonly ConcurrentDictionary<ToolRequirements, ToolCredentialRules?> _rules = new(ReferenceEqualityComparer.Instance);

    public McpToolGate(ToolRequirementCatalog catalog, IServiceProvider services, ILogger<McpToolGate> logger)
    {
        _catalog = catalog;
        _identity = services.GetService<WorkloadIdentity>();
        _workloadTokens = _identity is null ? null : new WorkloadTokenReuse(_identity, services.GetService<TimeProvider>() ?? TimeProvider.System);
        _registry = services.GetService<CredentialProviderRegistry>();
        _processors = services.GetServices<IMcpToolResultProcessor>().ToArray();
        _logger = logger;
        _refusals = new ToolCredentialRefusals(services, logger);
        _undeclaredToolsUseAnything = services.GetService<IOptions<IdentityGuardMcpOptions>>()?.Value.ToolsWithoutActsWith == ToolCredentialDefault.AnyCredential;
    }

    public async ValueTask<ListToolsResult> ListToolsAsync(
        RequestContext<ListToolsRequestParams> request,
        McpRequestHandler<ListToolsRequestParams, ListToolsResult> next,
        CancellationToken cancellationToken)
    {
        var result = await next(request, cancellationToken).ConfigureAwait(false);
        var caller = request.User.GetVerifiedCaller();
        // Tools added after start (per session) are read from their own metadata, as a call to them would be.
        var tools = request.Server.ServerOptions.ToolCollection;
        var visible = result.Tools
            .Where(tool => MayCall(caller, tools is not null && tools.TryGetPrimitive(tool.Name, out var serverTool) ? _catalog.For(serverTool) : _catalog.For(tool.Name)))
            .ToList();
        if (visible.Count != result.Tools.Count)
        {
            result.Tools = visible;
        }

        return result;
    }

    public async ValueTask<CallToolResult> CallToolAsync(
        RequestContext<CallToolRequestParams> request,
        McpRequestHandler<CallToolRequestParams, CallToolResult> next,
        CancellationToken cancellationToken)
    {
        var name = request.Params?.Name ?? string.Empty;
        var requirements = request.MatchedPrimitive is McpServerTool tool ? _catalog.For(tool) : _catalog.For(name);

        // From here to the end of the call, the tool gets only the credentials it declared, wherever it asks for them.
        var rules = RulesFor(requirements);
        using var policy = rules is null ? default : CredentialUsePolicy.Enter(new ToolCredentialPolicy(name, rules, _refusals));
        try
        {
            return await CallAsync(request, next, name, requirements, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Find<CredentialNotDeclaredException>(ex) is { } refused)
        {
            // A mistake in the tool, not in the caller's request: the message names the tool, provider and declaration.
            throw new McpProtocolException(refused.Message, McpErrorCode.InternalError);
        }
    }

    private async ValueTask<CallToolResult> CallAsync(
        RequestContext<CallToolRequestParams> request,
        McpRequestHandler<CallToolRequestParams, CallToolResult> next,
        string name,
        ToolRequirements requirements,
        CancellationToken cancellationToken)
    {
        var caller = request.User.GetVerifiedCaller();
        if (caller is null)
        {
            if (!requirements.IsEmpty)
            {
                // Fail closed: a tool that needs a caller never runs for nobody (e.g. an endpoint mapped without RequireIdentityGuard).
                McpLog.NoVerifiedCaller(_logger, name);
                throw new McpProtocolException($"Tool '{name}' requires an authenticated caller.", McpErrorCode.InvalidRequest);
            }

            return await RunAsync(request, next, cancellationToken).ConfigureAwait(false);
        }

        var missing = requirements.MissingScopes(caller);
        if (missing.Count > 0)
        {
            // Over HTTP the endpoint gate already answered 403 insufficient_scope; this covers every other way in.
            var scopes = string.Join(' ', missing);
            McpLog.InsufficientScope(_logger, name, scopes);
            throw new McpProtocolException($"insufficient_scope: tool '{name}' requires scope(s) {scopes}.", McpErrorCode.InvalidRequest);
        }

        using var workload = _workloadTokens is null ? null : WorkloadContext.Use(_workloadTokens.For(caller));
        using var inbound = InboundTokenContext.Use(caller.Token);
        try
        {
            await EnsureCredentialsAsync(requirements, cancellationToken).ConfigureAwait(false);
            return await RunAsync(request, next, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ConsentRequiredException.TryFind(ex, out var consent) && consent.Request is { } consentRequest)
        {
            throw ConsentElicitation.For(request, name, consentRequest, caller, _logger);
        }
    }

    /// <summary>The tool's credential rules; null when it runs unrestricted (declares nothing, and the opt-out is on).</summary>
    private ToolCredentialRules? RulesFor(ToolRequirements requirements) =>
        _rules.TryGetValue(requirements, out var rules)
            ? rules
            : _rules.GetOrAdd(requirements, static (r, gate) => !r.DeclaresCredentials && gate._undeclaredToolsUseAnything ? null : ToolCredentialRules.For(r, gate._registry?.Manifest), this);

    /// <summary>The first <typeparamref name="T"/> in an exception's chain (Refit and tasks wrap what handlers throw).</summary>
    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (var depth = 0; exception is not null && depth < 16; depth++)
        {
            if (exception is T found)
            {
                return found;
            }

            exception = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception.InnerException;
        }

        return null;
    }

    private static bool MayCall(VerifiedCaller? caller, ToolRequirements requirements) =>
        requirements.IsEmpty || (caller is not null && requirements.MissingScopes(caller).Count == 0);

    /// <summary>
    /// Gets a token for every provider scope the tool declares, before the tool runs: a missing user grant then ends the
    /// call with the consent elicitation instead of failing the tool halfway through its work. Tokens come from the
    /// cache and vault and are not handed to the tool.
    /// </summary>
    private async ValueTask EnsureCredentialsAsync(ToolRequirements requirements, CancellationToken cancellationToken)
    {
        foreach (var credential in requirements.Credentials)
        {
            var registry = _registry ?? throw new InvalidOperationException("IdentityGuard's providers are not registered: call services.AddIdentityGuard(configuration).");
            _ = await registry.GetOAuth2TokenSource(credential.Provider).GetAsync(credential.ScopeMask, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<CallToolResult> RunAsync(
        RequestContext<CallToolRequestParams> request,
        McpRequestHandler<CallToolRequestParams, CallToolResult> next,
        CancellationToken cancellationToken)
    {
        CallToolResult result;
        try
        {
            result = await next(request, cancellationToken).ConfigureAwait(false);
        }
        catch (McpException ex) when (ex is not McpProtocolException)
        {
            // The SDK would send this exception's message (its own type or any subclass but a protocol error) to the
            // client as the tool's error result, outside these filters; as a result here, it passes the processors
            // (the credential scrubber first) like any other.
            result = new CallToolResult
            {
                IsError = true,
                Content = [new TextContentBlock { Text = $"An error occurred invoking '{request.Params?.Name}': {ex.Message}" }],
            };
        }

        foreach (var processor in _processors)
        {
            result = await processor.ProcessAsync(request, result, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
