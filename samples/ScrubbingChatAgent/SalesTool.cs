using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace ScrubbingChatAgent;

/// <summary>What the careless tool returns: the figures, and "for troubleshooting" the session it used.</summary>
/// <param name="Records">How many sales records were read.</param>
/// <param name="Total">Their total.</param>
/// <param name="Connection">The API and the credential the tool used.</param>
public sealed record SalesSummary(int Records, decimal Total, ConnectionDetails Connection);

/// <summary>Troubleshooting details a developer added to the tool's result.</summary>
/// <param name="Api">The API's address.</param>
/// <param name="AccessToken">The raw token: exactly what must never reach a model.</param>
public sealed record ConnectionDetails(Uri Api, string AccessToken);

/// <summary>The agent's one tool: reads the sales API as the agent and summarises it.</summary>
public sealed class SalesTool(ISalesApi sales, IReportsTokens tokens, Uri apiAddress)
{
    /// <summary>The tool's name, as the model calls it.</summary>
    public const string Name = "get_sales_summary";

    /// <summary>The tool, as Microsoft.Extensions.AI describes it to the model.</summary>
    public AIFunction AsFunction() => AIFunctionFactory.Create(GetSummaryAsync, Name, "Summarises this quarter's sales.");

    private async Task<SalesSummary> GetSummaryAsync(CancellationToken cancellationToken)
    {
        var records = await sales.GetSalesAsync();
        decimal total = 0;
        foreach (var record in records)
        {
            total += record.Amount;
        }

        var token = await tokens.GetAsync(ReportsScopes.SalesRead, cancellationToken);

        // The mistake this sample is about: a token in a tool result. IG0301 reports it at build time; it is
        // suppressed here, as a hurried developer might, to show the run-time scrubber stopping it all the same.
#pragma warning disable IG0301
        return new SalesSummary(records.Count, total, new ConnectionDetails(apiAddress, token.RevealValue()));
#pragma warning restore IG0301
    }
}
