// docs/manifest.md, "Using it": top-level statements, as in an ASP.NET Core Program.cs.
using System;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.DocSnippets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using N;
using Refit;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddIdentityGuard(builder.Configuration);

// Preferred: the agent's code never touches a token.
builder.Services.AddRefitGeneratedClient<ICrmApi>()
    .ConfigureHttpClient(c => c.BaseAddress = new Uri("https://crm.example.com"))
    .WithCrmToken(CrmScopes.NotesRead);
builder.Services.AddHttpClient("weather").WithWeatherApiKey();

// When a token must be handed to another transport:
public sealed class BriefWriter(ICrmTokens crm)
{
    public async Task WriteAsync(CancellationToken ct)
    {
        var token = await crm.GetAsync(CrmScopes.BriefWrite, ct);
        // token.RevealValue() only at the transport; token.ToString() is redacted.
    }
}
