using IdentityGuard.Providers;

namespace IdentityGuard.Mcp.Tools;

/// <summary>
/// The credential use policy of one tool call: while the call runs, the tool gets only what it declared; once the
/// call has returned, work it left running gets nothing (the policy travels with that work's execution context, so
/// ending it is what keeps the call's credentials from outliving the call).
/// </summary>
internal sealed class ToolCredentialPolicy(string tool, ToolCredentialRules rules, ToolCredentialRefusals refusals) : CredentialUsePolicy
{
    public override bool Permits(in CredentialRequest request) => !IsEnded && rules.Permits(request);

    public override CredentialUnavailableException Refuse(in CredentialRequest request) => refusals.Refuse(tool, rules, request, IsEnded);
}
