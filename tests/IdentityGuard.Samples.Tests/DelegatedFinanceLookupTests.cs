using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DelegatedFinanceLookup;
using IdentityGuard.Audit;
using Xunit;

namespace IdentityGuard.Samples.Tests;

/// <summary>The delegation sample: a lookup through a second agent process, then a weekly job within a standing permission.</summary>
public sealed partial class DelegatedFinanceLookupTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "identityguard-delegation-sample-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Leftover temp files are harmless.
        }
    }

    [Fact]
    public async Task The_finance_api_sees_the_user_and_both_agents_and_the_weekly_job_stops_when_revoked()
    {
        var output = new StringWriter();

        var result = await Scenario.RunAsync(output, _dataDirectory);

        Assert.Equal(Names.User, result.Delegated.Subject);
        Assert.Equal([Names.FinanceAgent, Names.BriefAgent], result.Delegated.Actors);
        Assert.Equal(Names.User, result.WeeklyReport.Subject);
        Assert.Empty(result.WeeklyReport.Actors);
        Assert.True(result.RefusedAfterRevocation);

        // Both audit trails name the chain; the job's use and the revocation are on record.
        Assert.Contains(result.FinanceAgentAudit, line => line.Contains("TokenIssued", StringComparison.Ordinal) && line.Contains("actors=[finance-agent < client-brief-agent]", StringComparison.Ordinal));
        Assert.Contains(result.AgentAudit, e => e.Kind == AuditEventKind.TokenIssued && e.Actors.SequenceEqual([Names.BriefAgent]));
        Assert.Contains(result.AgentAudit, e => e.Kind == AuditEventKind.StandingPermissionUsed);
        Assert.Contains(result.AgentAudit, e => e.Kind == AuditEventKind.StandingPermissionRevoked);

        // No token (base64url JSON headers start with "eyJ") in anything the run printed or audited.
        var everything = output + string.Join('\n', result.FinanceAgentAudit) + string.Join('\n', result.AgentAudit.Select(e => e.ToString()));
        Assert.Contains("finance-agent < client-brief-agent", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotMatch(TokenShape(), everything);
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}")]
    private static partial Regex TokenShape();
}
