using System;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityGuard.Demo.Api;

/// <summary>The demo API's JSON endpoints. None of them ever writes the caller's token into a response.</summary>
internal static class ApiEndpoints
{
    public const string ApiKeyHeader = "X-Api-Key";

    private static readonly SalesRecord[] SalesRecords =
    [
        new(1, "North", 1200.50m),
        new(2, "South", 845.00m),
        new(3, "East", 2310.75m),
    ];

    private static readonly WeatherForecast[] Forecast =
    [
        new(0, "Sunny", 24),
        new(1, "Cloudy", 19),
        new(2, "Rain", 15),
    ];

    public static void MapDemoEndpoints(this IEndpointRouteBuilder endpoints, string apiKey)
    {
        endpoints.MapGet("/reports/sales", () => Results.Ok(SalesRecords))
            .RequireAuthorization(ScopePolicies.SalesRead);

        endpoints.MapPut("/reports/sales/{id:int}", (int id, SalesRecordUpdate update) =>
                Results.Ok(new SalesRecord(id, update.Region, update.Amount)))
            .RequireAuthorization(ScopePolicies.SalesWrite);

        endpoints.MapGet("/whoami", (ClaimsPrincipal user) => Results.Ok(Describe(user)))
            .RequireAuthorization(ScopePolicies.AnyValidToken);

        var expectedKey = Encoding.UTF8.GetBytes(apiKey);
        endpoints.MapGet("/weather", (HttpContext context) =>
            HasApiKey(context, expectedKey) ? Results.Ok(Forecast) : Results.Unauthorized());
    }

    private static bool HasApiKey(HttpContext context, byte[] expectedKey)
    {
        if (!context.Request.Headers.TryGetValue(ApiKeyHeader, out var values) || values.Count != 1 || values[0] is null)
        {
            return false;
        }

        // Constant-time comparison, so the demo does not teach a timing leak.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(values[0]!), expectedKey);
    }

    private static CallerInfo Describe(ClaimsPrincipal user) =>
        new(user.GetClaim(Claims.Subject), TokenValidation.ReadClientId(user), TokenValidation.ReadActor(user), user.GetScopes());
}
