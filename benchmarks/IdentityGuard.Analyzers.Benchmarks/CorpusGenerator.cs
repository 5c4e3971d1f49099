using System.Collections.Generic;
using System.Globalization;

namespace IdentityGuard.Analyzers.Benchmarks;

/// <summary>
/// Writes ordinary agent/service code: HTTP calls with bearer tokens, structured logging, records, LINQ, JSON,
/// configuration dictionaries, token validation set up correctly. Every rule family finds its trigger types and
/// token sources, so the analyzers do their full work (including data flow), but nothing is a violation.
/// </summary>
internal static class CorpusGenerator
{
    public static IReadOnlyList<(string Path, string Text)> Generate(int files)
    {
        var sources = new List<(string, string)>(files);
        for (var i = 0; i < files; i++)
        {
            sources.Add(($"Area{i % 25}/OrderService{i}.cs", File(i)));
        }

        return sources;
    }

    private static string File(int i)
    {
        var n = i.ToString(CultureInfo.InvariantCulture);
        var area = (i % 25).ToString(CultureInfo.InvariantCulture);
        var version = (i % 3 + 1).ToString(CultureInfo.InvariantCulture);
        return $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Net.Http;
            using System.Net.Http.Headers;
            using System.Text;
            using System.Text.Json;
            using System.Threading;
            using System.Threading.Tasks;
            using IdentityGuard.Tokens;
            using Microsoft.Extensions.Logging;
            using Microsoft.IdentityModel.Tokens;

            namespace Contoso.Agents.Area{{area}};

            public sealed record Order{{n}}(int Id, string Customer, decimal Amount, DateTimeOffset PlacedAt, string Status);

            public sealed record OrderSummary{{n}}(string Customer, int Count, decimal Total, string Note);

            public sealed class OrderService{{n}}
            {
                private const string BaseAddress = "https://orders{{area}}.example.com/api/v{{version}}/";
                private static readonly string[] Regions = { "emea", "amer", "apac" };
                private static readonly Dictionary<string, string> Settings = new()
                {
                    ["Orders:BaseAddress"] = "https://orders{{area}}.example.com",
                    ["Orders:ClientId"] = "orders-agent-{{n}}",
                    ["Orders:TimeoutSeconds"] = "30",
                    ["Orders:UserAgent"] = "Contoso.Agents/1.{{version}}",
                    ["Orders:ClientSecret"] = "${ORDERS_CLIENT_SECRET}",
                };

                private readonly HttpClient _http;
                private readonly ILogger<OrderService{{n}}> _logger;

                public OrderService{{n}}(HttpClient http, ILogger<OrderService{{n}}> logger)
                {
                    _http = http;
                    _logger = logger;
                }

                public async Task<IReadOnlyList<Order{{n}}>> GetOrdersAsync(AccessToken token, string customer, CancellationToken cancellationToken)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, BaseAddress + "orders?customer=" + Uri.EscapeDataString(customer));
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.RevealValue());
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    _logger.LogInformation("Fetching orders for {Customer} with a token expiring {ExpiresAt}", customer, token.ExpiresAt);
                    using var response = await _http.SendAsync(request, cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        _logger.LogWarning("Orders API answered {Status} for {Customer}", response.StatusCode, customer);
                        throw new HttpRequestException("Orders API failed with " + (int)response.StatusCode + " for " + customer);
                    }

                    var json = await response.Content.ReadAsStringAsync(cancellationToken);
                    var orders = JsonSerializer.Deserialize<List<Order{{n}}>>(json) ?? new List<Order{{n}}>();
                    _logger.LogDebug("Received {Count} orders in {Region}", orders.Count, Regions[orders.Count % Regions.Length]);
                    return orders.Where(o => o.Amount > 0).OrderByDescending(o => o.PlacedAt).ToList();
                }

                public string Describe(Order{{n}} order) =>
                    $"Order {order.Id} for {order.Customer}: {order.Amount:F2} placed {order.PlacedAt:O} ({order.Status})";

                public OrderSummary{{n}} Summarize(string customer, IEnumerable<Order{{n}}> orders)
                {
                    var builder = new StringBuilder();
                    decimal total = 0;
                    var count = 0;
                    foreach (var order in orders)
                    {
                        switch (order.Status)
                        {
                            case "cancelled":
                                _logger.LogDebug("Skipping cancelled order {Id}", order.Id);
                                continue;
                            case "refunded":
                                total -= order.Amount;
                                break;
                            default:
                                total += order.Amount;
                                break;
                        }

                        if (order.Amount > 10000)
                        {
                            _logger.LogWarning("Large order {Id} for {Customer}", order.Id, customer);
                            builder.Append("large order ").Append(order.Id).Append("; ");
                        }

                        count++;
                    }

                    return new OrderSummary{{n}}(customer, count, total, builder.Length == 0 ? "nothing unusual" : builder.ToString());
                }

                public static TokenValidationParameters Validation() => new()
                {
                    ValidIssuer = "https://login.example.com/{{area}}",
                    ValidAudience = "api://orders-{{n}}",
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ClockSkew = TimeSpan.FromMinutes(2),
                };

                public static HttpClientHandler CreateHandler() => new()
                {
                    AllowAutoRedirect = false,
                    MaxConnectionsPerServer = 8,
                };

                public static string Setting(string key) =>
                    Settings.TryGetValue(key, out var value) ? value : throw new KeyNotFoundException("Missing setting " + key);
            }

            public static class OrderMath{{n}}
            {
                public static decimal Percentile(IReadOnlyList<decimal> values, double percentile)
                {
                    if (values.Count == 0)
                    {
                        return 0;
                    }

                    var sorted = values.OrderBy(v => v).ToArray();
                    var index = (int)Math.Clamp(Math.Ceiling(percentile * sorted.Length) - 1, 0, sorted.Length - 1);
                    return sorted[index];
                }

                public static IEnumerable<(string Region, decimal Total)> ByRegion(IEnumerable<Order{{n}}> orders) =>
                    orders.GroupBy(o => o.Customer.Length % 3).Select(g => (Region: g.Key switch { 0 => "emea", 1 => "amer", _ => "apac" }, Total: g.Sum(o => o.Amount)));
            }
            """;
    }
}
