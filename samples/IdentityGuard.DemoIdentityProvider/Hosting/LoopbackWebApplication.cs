using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Demo.Hosting;

/// <summary>
/// Builds and starts the loopback-only Kestrel hosts shared by the identity provider and the demo API.
/// </summary>
internal static class LoopbackWebApplication
{
    public static WebApplicationBuilder CreateBuilder(int? port, ILoggerProvider? loggerProvider, LogLevel minimumLevel)
    {
        // The slim builder with no args, so a test host's command line, appsettings or ASPNETCORE_URLS cannot
        // change where these servers listen or what they log.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(LoopbackWebApplication).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Port 0 lets the OS choose a free port, so parallel test runs never collide.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port ?? 0));

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(minimumLevel);
        if (loggerProvider is not null)
        {
            builder.Logging.AddProvider(new BorrowedLoggerProvider(loggerProvider));
        }

        return builder;
    }

    /// <summary>Starts the app and returns its real base address (with the port the OS picked), ending in a slash.</summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel started without reporting the address it listens on.");

        return new Uri(address.TrimEnd('/') + "/", UriKind.Absolute);
    }

    /// <summary>
    /// Lets the host use a caller's logger provider without disposing it when the host stops,
    /// since one provider (e.g. a test-output sink) is often shared by several servers.
    /// </summary>
    private sealed class BorrowedLoggerProvider(ILoggerProvider inner) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => inner.CreateLogger(categoryName);

        public void Dispose()
        {
            // Owned by the caller.
        }
    }
}
