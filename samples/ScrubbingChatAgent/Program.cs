using System;
using System.Linq;
using ScrubbingChatAgent;

// A chat agent whose tool carelessly returns its access token, run twice through a Microsoft.Extensions.AI pipeline:
// with IdentityGuard's scrubbing (the model never sees the token) and, with --no-scrub, without it.
var scrub = !args.Contains("--no-scrub");
var result = await Scenario.RunAsync(new ScenarioOptions { Scrub = scrub, Output = Console.Out });
var leaked = result.ModelRequests.Any(request => request.Contains(result.IssuedToken.RevealValue(), StringComparison.Ordinal));
Console.WriteLine(leaked ? "The token reached the model." : "The token never reached the model.");
return leaked == scrub ? 1 : 0;
