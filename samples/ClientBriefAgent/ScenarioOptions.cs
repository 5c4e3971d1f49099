using System;
using System.IO;
using Microsoft.Extensions.Logging;

namespace ClientBriefAgent;

/// <summary>Where the scenario keeps its state and which loopback ports it uses.</summary>
public sealed class ScenarioOptions
{
    /// <summary>
    /// The folder that survives between runs: the identity provider's database and keys, and the agent's token
    /// vault with its Data Protection keys. Deleting it starts over (the user is asked for consent again).
    /// </summary>
    public string DataDirectory { get; set; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
        "IdentityGuard",
        "client-brief-agent-demo");

    /// <summary>The first of six consecutive loopback ports: identity provider, CRM, finance, documents, agent, portal.</summary>
    public int PortBase { get; set; } = 5480;

    /// <summary>The demo user, a sales executive.</summary>
    public string User { get; set; } = "maria";

    /// <summary>
    /// Who opens the consent link in the scripted browser; <see cref="User"/> when null. Naming another user plays a
    /// forwarded link: that user signs in at the identity provider and approves, and the agent refuses the callback,
    /// because the provider's ID token names someone other than the user who asked.
    /// </summary>
    public string? Approver { get; set; }

    /// <summary>
    /// How the identity provider returns the consent response to the agent: <c>Query</c> (default) or <c>FormPost</c>
    /// (<c>IdentityGuard:Consent:ResponseMode</c>), which keeps the code out of URLs and the agent's request logs.
    /// </summary>
    public string ResponseMode { get; set; } = "Query";

    /// <summary>The client the brief is for.</summary>
    public string Client { get; set; } = "acme";

    /// <summary>How long the identity provider's access tokens live; shorter values make the agent refresh.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Print the consent URL and wait for a real browser instead of the scripted browser step.</summary>
    public bool Interactive { get; set; }

    /// <summary>Receives every log record of the servers and the agent (tests capture them); none when null.</summary>
    public ILoggerProvider? LoggerProvider { get; set; }

    /// <summary>Where the scenario narrates what happens.</summary>
    public TextWriter Output { get; set; } = Console.Out;

    internal int IdentityProviderPort => PortBase;

    internal int CrmPort => PortBase + 1;

    internal int FinancePort => PortBase + 2;

    internal int DocumentsPort => PortBase + 3;

    internal int AgentPort => PortBase + 4;

    internal int PortalPort => PortBase + 5;
}
