namespace DelegatedFinanceLookup;

/// <summary>The parties of the sample and the scopes between them.</summary>
internal static class Names
{
    public const string Portal = "brief-portal";
    public const string BriefAgent = "client-brief-agent";
    public const string FinanceAgent = "finance-agent";
    public const string FinanceApi = "finance-api";

    /// <summary>The portal calls the client-brief agent with it.</summary>
    public const string AgentScope = "agent.briefs";

    /// <summary>The client-brief agent calls the finance agent with it (an exchanged token).</summary>
    public const string LookupScope = "finance.lookup";

    /// <summary>The finance API requires it.</summary>
    public const string SpendScope = "finance.spend.read";

    public const string User = "maria";
}

/// <summary>What the finance API answers: the figure, and whom it served through which agents (most recent first).</summary>
internal sealed record SpendAnswer(string Client, decimal Spend, string Subject, string[] Actors);
