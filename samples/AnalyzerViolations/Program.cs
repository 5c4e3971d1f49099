using AnalyzerViolations;
using Microsoft.Extensions.Logging.Abstractions;

// A CRM-notes agent written the way agents get written under time pressure. Every violation is deliberate and is
// marked with the rule it must trigger; see README.md. This program is never meant to run.
var logger = NullLogger.Instance;
var settings = new CrmConnectionSettings();
var diagnostics = new TokenDiagnostics(logger);
Console.WriteLine($"Connecting to {settings.Database.Length} ... {diagnostics.GetType().Name} {JwtSetup.Create().ValidIssuer}");
