using System;
using System.Collections.Generic;

namespace ClientBriefAgent;

/// <summary>What the portal asks the agent for.</summary>
public sealed record BriefRequest(string ClientId);

/// <summary>The agent's answer when the user must approve access first.</summary>
public sealed record ConsentNeeded(string Error, Uri ConsentUrl, IReadOnlyList<string> Scopes);
