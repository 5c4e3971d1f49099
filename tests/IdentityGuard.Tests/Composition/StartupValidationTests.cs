using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using IdentityGuard.Manifest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace IdentityGuard.Tests.Composition;

/// <summary>
/// Every setting of the one options tree (<c>IdentityGuard:*</c>) is checked when the host starts, not at the first
/// token request, and the error names the configuration key to fix.
/// </summary>
public sealed class StartupValidationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "identityguard-composition-tests", Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("IdentityGuard:RefreshBeforeExpiry", "-00:01:00")]
    [InlineData("IdentityGuard:DefaultTokenLifetime", "00:00:00")]
    [InlineData("IdentityGuard:Vault:WorkloadTokenLifetime", "13:00:00")]
    [InlineData("IdentityGuard:Vault:WorkloadTokenLifetime", "soon")]
    [InlineData("IdentityGuard:Vault:LeaseDuration", "00:00:10")]
    [InlineData("IdentityGuard:Vault:StoreCheckInterval", "-00:00:01")]
    [InlineData("IdentityGuard:Vault:UseHostDataProtection", "maybe")]
    [InlineData("IdentityGuard:Vault:Workload", "moved-to-the-root")]
    [InlineData("IdentityGuard:Vault:RefreshBeforeExpiry", "00:02:00")]
    [InlineData("IdentityGuard:Consent:RedirectUri", "/relative/callback")]
    [InlineData("IdentityGuard:Consent:AllowedReturnUrls:0", "done.html")]
    [InlineData("IdentityGuard:Consent:PendingLifetime", "00:00:00")]
    [InlineData("IdentityGuard:Consent:Timeout", "-00:05:00")]
    [InlineData("IdentityGuard:Consent:CompletionPollInterval", "often")]
    [InlineData("IdentityGuard:Consent:MaxPendingPerUser", "0")]
    [InlineData("IdentityGuard:Consent:MaxPendingPerWorkload", "-3")]
    [InlineData("IdentityGuard:Consent:ResponseMode", "fragment")]
    [InlineData("IdentityGuard:Consent:RequireSessionBinding", "sometimes")]
    [InlineData("IdentityGuard:Authorizer:Audiences:0", "")]
    public async Task An_invalid_setting_stops_the_host_naming_its_key(string key, string value)
    {
        var error = await StartFailureAsync(new Dictionary<string, string?> { [key] = value });

        var named = key.EndsWith(":0", StringComparison.Ordinal) ? key[..^2] : key;
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_configuration_starts()
    {
        using var host = Build(new Dictionary<string, string?>());

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task Settings_given_in_code_are_checked_against_the_same_keys()
    {
        var vault = await StartFailureAsync([], identityGuard => identityGuard.AddVault(options => options.LeaseDuration = TimeSpan.FromSeconds(5)));
        var consent = await StartFailureAsync([], identityGuard => identityGuard.AddUserFederation(options => options.Timeout = TimeSpan.Zero));
        var authorizer = await StartFailureAsync([], identityGuard => identityGuard.AddAuthorizer(options => options.Audiences.Clear()));

        Assert.Contains("IdentityGuard:Vault:LeaseDuration", vault.Message, StringComparison.Ordinal);
        Assert.Contains("IdentityGuard:Consent:Timeout", consent.Message, StringComparison.Ordinal);
        Assert.Contains("IdentityGuard:Authorizer", authorizer.Message, StringComparison.Ordinal);
        Assert.Contains("Audiences", authorizer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vault_without_a_workload_name_stops_the_host_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["IdentityGuard:Vault:DatabasePath"] = Path.Combine(_folder, "vault.db") });
        builder.Services.AddIdentityGuardRuntime(builder.Configuration).AddVault();
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.True(error is OptionsValidationException or AggregateException, error.ToString());
        Assert.Contains("IdentityGuard:Workload is required", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>
    /// The start-up failure: one <see cref="OptionsValidationException"/>, or several gathered by the host's start-up
    /// validation when more than one part reads the broken setting; either way every message names the key.
    /// </summary>
    private async Task<Exception> StartFailureAsync(Dictionary<string, string?> settings, Action<IdentityGuardBuilder>? configure = null)
    {
        using var host = Build(settings, configure);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        if (error is AggregateException aggregate)
        {
            Assert.All(aggregate.InnerExceptions, inner => Assert.IsType<OptionsValidationException>(inner));
            return aggregate;
        }

        return Assert.IsType<OptionsValidationException>(error);
    }

    /// <summary>An agent with every core part, valid unless a setting or <paramref name="configure"/> breaks it.</summary>
    private IHost Build(Dictionary<string, string?> settings, Action<IdentityGuardBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        var values = new Dictionary<string, string?>
        {
            ["IdentityGuard:Vault:DatabasePath"] = Path.Combine(_folder, "vault.db"),
            ["IdentityGuard:Consent:RedirectUri"] = "http://127.0.0.1:53123/callback",
            ["IdentityGuard:Authorizer:Authority"] = "https://login.example.com/",
            ["IdentityGuard:Authorizer:Audiences:0"] = "composition-agent",
        };
        foreach (var setting in settings)
        {
            values[setting.Key] = setting.Value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        var identityGuard = builder.Services.AddIdentityGuardRuntime(builder.Configuration, new CredentialManifest("composition-agent", []))
            .AddVault()
            .AddUserFederation()
            .AddAuthorizer();
        configure?.Invoke(identityGuard);
        return builder.Build();
    }
}
