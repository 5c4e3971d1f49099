using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Consent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Refit;
using Xunit;

namespace IdentityGuard.Authorization.Tests;

/// <summary>A downstream API the agent calls through a Refit client.</summary>
public interface INotesApi
{
    /// <summary>Reads the notes.</summary>
    [Get("/notes")]
    Task<string> GetNotesAsync();
}

/// <summary>
/// Refit 16 wraps whatever a message handler throws in <c>ApiRequestException</c>, so the consent requirement the
/// credential handler raises never reaches a <c>catch (ConsentRequiredException)</c> around a Refit call. The
/// documented pattern must work through Refit all the same.
/// </summary>
public sealed class ConsentThroughRefitTests
{
    private const string Issuer = "https://login.example/";

    // The consent is for the user the test host signs every request in as (see SignedInAs).
    private static readonly ConsentRequest s_request = new(
        "brief-agent", IdentityGuard.Workload.WorkloadIdentity.DeriveUserKey(Issuer, "alice"), "Crm", ["crm.notes.read"], ["crm.notes.read", "offline_access"], new Uri("https://login.example/authorize?state=s1"), DateTimeOffset.UtcNow.AddMinutes(10));

    [Fact]
    public async Task A_catch_of_ConsentRequiredException_around_a_Refit_call_never_runs()
    {
        await using var app = await StartAsync(builder => builder.MapGet("/brief", async (INotesApi notes) =>
        {
            try
            {
                return Results.Text(await notes.GetNotesAsync());
            }
            catch (ConsentRequiredException)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
        }));

        using var response = await app.Client.GetAsync(new Uri("/brief", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task TryFind_sees_the_consent_requirement_inside_Refits_exception()
    {
        await using var app = await StartAsync(builder => builder.MapGet("/brief", async (INotesApi notes) =>
        {
            try
            {
                return Results.Text(await notes.GetNotesAsync());
            }
            catch (Exception ex) when (ConsentRequiredException.TryFind(ex, out var consent))
            {
                return Results.Text(consent.Request!.Provider, statusCode: StatusCodes.Status403Forbidden);
            }
        }));

        using var response = await app.Client.GetAsync(new Uri("/brief", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Crm", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_endpoint_filter_answers_403_with_the_consent_url_through_Refit()
    {
        await using var app = await StartAsync(builder =>
            builder.MapGet("/brief", async (INotesApi notes) => Results.Text(await notes.GetNotesAsync())).WithIdentityGuardConsent());

        using var response = await app.Client.GetAsync(new Uri("/brief", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadFromJsonAsync<ConsentRequiredResponse>();
        Assert.Equal("consent_required", body!.Error);
        Assert.Equal(s_request.AuthorizationUrl, body.ConsentUrl);
        Assert.Equal(["crm.notes.read"], body.Scopes);
    }

    [Fact]
    public async Task The_exception_handler_answers_403_for_any_endpoint_and_leaves_other_errors_alone()
    {
        await using var app = await StartAsync(
            builder =>
            {
                builder.UseExceptionHandler();
                builder.MapGet("/brief", async (INotesApi notes) => Results.Text(await notes.GetNotesAsync()));
                builder.MapGet("/broken", string () => throw new InvalidOperationException("unrelated"));
            },
            services => new IdentityGuardBuilder(services, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).AddConsentExceptionHandler());

        using var consent = await app.Client.GetAsync(new Uri("/brief", UriKind.Relative));
        using var broken = await app.Client.GetAsync(new Uri("/broken", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, consent.StatusCode);
        Assert.Equal(s_request.AuthorizationUrl, (await consent.Content.ReadFromJsonAsync<ConsentRequiredResponse>())!.ConsentUrl);
        Assert.Equal(HttpStatusCode.InternalServerError, broken.StatusCode);
    }

    [Fact]
    public async Task Another_users_consent_is_answered_without_its_url()
    {
        // An endpoint acting for someone else (here: the caller is Bob) must not hand Alice's link to Bob.
        await using var app = await StartAsync(
            builder => builder.MapGet("/brief", async (INotesApi notes) => Results.Text(await notes.GetNotesAsync())).WithIdentityGuardConsent(),
            subject: "bob");

        using var response = await app.Client.GetAsync(new Uri("/brief", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<ConsentRequiredResponse>();
        Assert.Equal("consent_required", body!.Error);
        Assert.Null(body.ConsentUrl);
        Assert.DoesNotContain("state=", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryFind_walks_aggregates_and_ignores_unrelated_chains()
    {
        var wrapped = new AggregateException(new InvalidOperationException("a"), new HttpRequestException("b", new ConsentRequiredException(s_request)));

        Assert.True(ConsentRequiredException.TryFind(wrapped, out var found));
        Assert.Same(s_request, found.Request);
        Assert.False(ConsentRequiredException.TryFind(new HttpRequestException("x", new InvalidOperationException()), out _));
        Assert.False(ConsentRequiredException.TryFind(null, out _));
    }

    private static async Task<RunningApp> StartAsync(Action<WebApplication> map, Action<IServiceCollection>? services = null, string subject = "alice")
    {
        var builder = Loopback.CreateBuilder();
        builder.Services.AddAuthentication(SignedInAs.SchemeName).AddScheme<SignedInAsOptions, SignedInAs>(SignedInAs.SchemeName, options => options.Subject = subject);
        builder.Services.AddRefitGeneratedClient<INotesApi>()
            .ConfigureHttpClient(http => http.BaseAddress = new Uri("https://notes.example"))
            .AddHttpMessageHandler(() => new ConsentRequiringHandler());
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseAuthentication();
        map(app);
        var address = await Loopback.StartAsync(app);
        return new RunningApp(app, new HttpClient { BaseAddress = address });
    }

    /// <summary>The app's own sign-in (as a cookie scheme would give): every request is signed in as one user of <see cref="Issuer"/>.</summary>
    private sealed class SignedInAs(
        Microsoft.Extensions.Options.IOptionsMonitor<SignedInAsOptions> options, Microsoft.Extensions.Logging.ILoggerFactory logger, System.Text.Encodings.Web.UrlEncoder encoder)
        : Microsoft.AspNetCore.Authentication.AuthenticationHandler<SignedInAsOptions>(options, logger, encoder)
    {
        public const string SchemeName = "app-sign-in";

        protected override Task<Microsoft.AspNetCore.Authentication.AuthenticateResult> HandleAuthenticateAsync()
        {
            var identity = new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", Options.Subject, null, Issuer)], SchemeName);
            return Task.FromResult(Microsoft.AspNetCore.Authentication.AuthenticateResult.Success(
                new Microsoft.AspNetCore.Authentication.AuthenticationTicket(new System.Security.Claims.ClaimsPrincipal(identity), SchemeName)));
        }
    }

    private sealed class SignedInAsOptions : Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions
    {
        public string Subject { get; set; } = "alice";
    }

    /// <summary>Stands in for the credential handler of a user-federation provider whose user has not consented.</summary>
    private sealed class ConsentRequiringHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new ConsentRequiredException(s_request);
    }

    private sealed record RunningApp(WebApplication App, HttpClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.DisposeAsync();
        }
    }
}
