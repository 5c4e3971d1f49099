using System;
using System.IO;
using DelegatedFinanceLookup;

// Delegation end to end on loopback: the client-brief agent delegates a finance lookup to the finance agent (a second
// process) with a token exchanged on the user's behalf; the finance API answers with the actor chain it verified.
// Then a scheduled weekly report runs within the user's standing permission, until she revokes it.
//   finance-agent   (internal) run as the finance agent; started by the main run
if (args is ["finance-agent"])
{
    return await FinanceAgentHost.RunAsync();
}

var dataDirectory = Path.Combine(Path.GetTempPath(), "identityguard-delegation-sample", Guid.NewGuid().ToString("N"));
try
{
    var result = await Scenario.RunAsync(Console.Out, dataDirectory);
    var chainSeen = result.Delegated.Subject == Names.User && result.Delegated.Actors is [Names.FinanceAgent, Names.BriefAgent];
    return chainSeen && result.WeeklyReport.Subject == Names.User && result.RefusedAfterRevocation ? 0 : 1;
}
finally
{
    try
    {
        Directory.Delete(dataDirectory, recursive: true);
    }
    catch (IOException)
    {
        // Leftover temp files are harmless.
    }
}
