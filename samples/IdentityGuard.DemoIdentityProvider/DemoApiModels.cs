using System.Collections.Generic;

namespace IdentityGuard.Demo;

/// <summary>One row of the demo sales report.</summary>
/// <param name="Id">The record identifier.</param>
/// <param name="Region">The sales region.</param>
/// <param name="Amount">The amount sold.</param>
public sealed record SalesRecord(int Id, string Region, decimal Amount);

/// <summary>The body of <c>PUT /reports/sales/{id}</c>.</summary>
/// <param name="Region">The sales region.</param>
/// <param name="Amount">The amount sold.</param>
public sealed record SalesRecordUpdate(string Region, decimal Amount);

/// <summary>One day of the demo weather forecast served behind an API key.</summary>
/// <param name="Day">Days from today.</param>
/// <param name="Summary">A short description.</param>
/// <param name="TemperatureC">The temperature in degrees Celsius.</param>
public sealed record WeatherForecast(int Day, string Summary, int TemperatureC);

/// <summary>What <c>GET /whoami</c> says about the validated token's caller (never the token itself).</summary>
/// <param name="Subject">The token's <c>sub</c>.</param>
/// <param name="ClientId">The client the token was issued to, if present.</param>
/// <param name="Actor">The <c>sub</c> inside the token's <c>act</c> claim (token exchange), if present.</param>
/// <param name="Scopes">The granted scopes.</param>
public sealed record CallerInfo(string? Subject, string? ClientId, string? Actor, IReadOnlyList<string> Scopes);
