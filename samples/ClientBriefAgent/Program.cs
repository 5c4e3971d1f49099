using System;
using System.IO;
using System.Linq;
using ClientBriefAgent;

// The client-brief agent, end to end on loopback: an identity provider, CRM, finance and documents APIs, the agent,
// and a sales executive's portal. Run it twice: the second run reuses the stored grant and asks for no consent.
//   --interactive   approve in a real browser instead of the scripted browser step
//   --reset         forget all state (identity provider, grants) and start over
//   --data-dir DIR  keep state in DIR
//   --port-base N   use loopback ports N..N+5
//   --approver SUB  let another demo user (sam) approve the forwarded consent link: the agent refuses it
var options = new ScenarioOptions();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--interactive":
            options.Interactive = true;
            break;
        case "--reset":
            if (Directory.Exists(options.DataDirectory))
            {
                Directory.Delete(options.DataDirectory, recursive: true);
            }

            break;
        case "--data-dir" when i + 1 < args.Length:
            options.DataDirectory = Path.GetFullPath(args[++i]);
            break;
        case "--port-base" when i + 1 < args.Length && int.TryParse(args[i + 1], out var portBase):
            options.PortBase = portBase;
            i++;
            break;
        case "--approver" when i + 1 < args.Length:
            options.Approver = args[++i];
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Use --interactive, --reset, --data-dir DIR, --port-base N or --approver SUB.");
            return 2;
    }
}

if (args.Contains("--reset") && Directory.Exists(options.DataDirectory))
{
    Directory.Delete(options.DataDirectory, recursive: true);
}

try
{
    var result = await Scenario.RunAsync(options);
    return result.ApiCallers.All(caller => caller == options.User) ? 0 : 1;
}
catch (InvalidOperationException ex) when (options.Approver is not null)
{
    Console.WriteLine(ex.Message);
    return 1;
}
catch (IOException ex) when (ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
{
    // Kestrel's bind failure: another program (or another run) holds one of the six loopback ports.
    Console.Error.WriteLine($"A loopback port in {options.PortBase}..{options.PortBase + 5} is already in use ({ex.Message.TrimEnd('.')}).");
    Console.Error.WriteLine($"Stop the other run, or pick free ports with --port-base N (for example --port-base {options.PortBase + 100}).");
    return 3;
}
