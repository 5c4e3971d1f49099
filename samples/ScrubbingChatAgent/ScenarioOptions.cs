using System.IO;

namespace ScrubbingChatAgent;

/// <summary>How the scenario runs.</summary>
public sealed class ScenarioOptions
{
    /// <summary>Whether the pipeline scrubs (true, the point of the sample); false shows what leaks without it.</summary>
    public bool Scrub { get; set; } = true;

    /// <summary>Where the scenario narrates.</summary>
    public TextWriter Output { get; set; } = TextWriter.Null;
}
