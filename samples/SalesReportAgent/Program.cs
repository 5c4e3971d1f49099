using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using IdentityGuard.Demo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Refit;
using SalesReportAgent;

// A reporting agent that reads sales figures as itself (OAuth 2.0 client credentials) and a forecast with an
// API key. Everything it talks to runs on loopback in this process, so it needs no setup.

// 1. The demo identity provider and API. The client secret is made up per run and handed to the agent through
//    configuration, the way a deployment hands it over through a secret store: it never appears in source.
var clientSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
var idpOptions = DemoIdentityProviderOptions.CreateDefault();
var reportJob = new DemoClient("report-job", clientSecret);
reportJob.AllowedScopes.Add(DemoApi.SalesReadScope);
idpOptions.Clients.Add(reportJob);
await using var identityProvider = await DemoIdentityProvider.StartAsync(idpOptions);
await using var api = await DemoApi.StartAsync(new DemoApiOptions(identityProvider.Issuer));
Console.WriteLine($"Identity provider: {identityProvider.Issuer}");
Console.WriteLine($"Sales API:         {api.BaseAddress}");

// 2. Configuration. identityguard.json names a production token endpoint; this environment overrides it,
//    as IdentityGuard:Providers:<Name>:<Field> can for any non-secret manifest value.
var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["IdentityGuard:Providers:Reports:TokenEndpoint"] = identityProvider.TokenEndpoint.ToString(),
        ["Reports:ClientSecret"] = clientSecret,
        ["Weather:ApiKey"] = DemoApiOptions.DefaultApiKey,
    })
    .AddEnvironmentVariables()
    .Build();

// 3. The agent's services: AddIdentityGuard and the With…Token/With…ApiKey methods are generated from the manifest.
var services = new ServiceCollection();
services.AddLogging(logging => logging
    .AddSimpleConsole(console => console.SingleLine = true)
    .SetMinimumLevel(LogLevel.Information)
    .AddFilter("System.Net.Http", LogLevel.Warning));
services.AddIdentityGuard(configuration);
services.AddRefitGeneratedClient<ISalesApi>()
    .ConfigureHttpClient(client => client.BaseAddress = api.BaseAddress)
    .WithReportsToken(ReportsScopes.SalesRead);
services.AddRefitGeneratedClient<IWeatherApi>()
    .ConfigureHttpClient(client => client.BaseAddress = api.BaseAddress)
    .WithWeatherApiKey();
await using var provider = services.BuildServiceProvider();

// 4. The job: three reads share one token; the agent code never sees it.
var sales = provider.GetRequiredService<ISalesApi>();
decimal total = 0;
for (var run = 1; run <= 3; run++)
{
    var records = await sales.GetSalesAsync();
    total = 0;
    foreach (var record in records)
    {
        total += record.Amount;
    }

    Console.WriteLine($"Run {run}: {records.Count} sales records, total {total.ToString("N2", CultureInfo.InvariantCulture)}");
}

var forecast = await provider.GetRequiredService<IWeatherApi>().GetForecastAsync();
Console.WriteLine($"Forecast: {forecast.Count} days, first '{forecast[0].Summary}'");

// The typed accessor, for code that needs a token object (its ToString() is redacted).
var token = await provider.GetRequiredService<IReportsTokens>().GetAsync(ReportsScopes.SalesRead);
Console.WriteLine($"Accessor: {token}");
Console.WriteLine($"Token requests sent to the identity provider: {identityProvider.TokenRequestCount}");
return identityProvider.TokenRequestCount == 1 ? 0 : 1;
