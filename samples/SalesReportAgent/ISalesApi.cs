using System.Collections.Generic;
using System.Threading.Tasks;
using IdentityGuard.Demo;
using Refit;

namespace SalesReportAgent;

/// <summary>The sales-reporting API the agent reads. Refit generates the client; IdentityGuard adds the token.</summary>
public interface ISalesApi
{
    [Get("/reports/sales")]
    Task<IReadOnlyList<SalesRecord>> GetSalesAsync();
}

/// <summary>A weather API that takes an API key.</summary>
public interface IWeatherApi
{
    [Get("/weather")]
    Task<IReadOnlyList<WeatherForecast>> GetForecastAsync();
}
