using System;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityGuard.DocSnippets;

/// <summary>docs/authorizer.md.</summary>
internal static class Authorizer
{
    public static void AspNetCore(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddIdentityGuardJwt(options =>
        {
            options.Authority = new Uri("https://login.example.com/");
            options.Audiences.Add("orders-api");
            options.RequiredScopes.Add("orders.read");
            options.ClaimRules.Add(ClaimRule.ClaimEquals("tid", "contoso"));
        });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/orders", (HttpContext context) =>
        {
            VerifiedCaller caller = context.GetVerifiedCaller()!;   // also: context.Features.Get<IVerifiedCallerFeature>()
            return Results.Ok(caller.Subject);
        }).RequireAuthorization();
    }

    public static async Task Standalone(string tokenFromTheHost, CancellationToken cancellationToken)
    {
        var options = new JwtAuthorizerOptions { Authority = new Uri("https://login.example.com/") };
        options.Audiences.Add("orders-agent");
        using var authorizer = new JwtAuthorizer(options);

        AuthorizationResult result = await authorizer.ValidateAsync(tokenFromTheHost, cancellationToken);
        if (!result.Succeeded)
        {
            // result.Failure.Error / .Reason / .Message are safe to log and to return.
            return;
        }

        VerifiedCaller caller = result.Caller;
        GC.KeepAlive(caller);
    }
}
