using System;
using System.Collections.Generic;
using System.Linq;

namespace IdentityGuard.Mcp.Requirements;

/// <summary>
/// The scopes the caller's token (the inbound MCP access token) must carry to see and call this tool. A caller without
/// them does not find the tool in <c>tools/list</c>, and a call gets <c>403</c> with
/// <c>WWW-Authenticate: Bearer error="insufficient_scope", scope="…"</c>, so the client can ask the user for more
/// (step-up). On a class, it applies to every tool of the class.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class RequireScopesAttribute : Attribute
{
    /// <summary>Requires every scope in <paramref name="scopes"/>.</summary>
    /// <param name="scopes">Scope tokens, e.g. <c>crm.mcp.write</c>; declare them as constants so a misspelling does not compile.</param>
    public RequireScopesAttribute(params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        if (scopes.Length == 0 || scopes.Any(scope => string.IsNullOrWhiteSpace(scope) || scope.Any(c => c is <= ' ' or > '~' or '"' or '\\')))
        {
            throw new ArgumentException("Name at least one scope; a scope is printable ASCII without spaces, '\"' or '\\'.", nameof(scopes));
        }

        Scopes = scopes;
    }

    /// <summary>The required scopes.</summary>
    public IReadOnlyList<string> Scopes { get; }
}
