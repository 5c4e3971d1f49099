using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using IdentityGuard.Authorization;
using IdentityGuard.Manifest;
using IdentityGuard.Tokens;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xunit;

namespace IdentityGuard.Tests.Tokens;

/// <summary>
/// Every secret type through every way a value gets shown: text, interpolation, JSON, the debugger, reflection over
/// its properties (what structured loggers and destructuring serializers read) and logging through message templates.
/// One table, so a new secret type or a new exposure path is one row.
/// </summary>
// CA1848: the extension-method logging calls are the exposure paths under test, not a performance choice.
#pragma warning disable CA1848
public sealed partial class SecretValueExposureTests
{
    // The part of the value that must never appear anywhere; the prefix only makes the value look like a credential.
    private const string Needle = "7f3a9c1e5b2d4e6f";
    private const string Secret = "ig-secret-" + Needle;

    /// <summary>Every <see cref="SecretValue"/> type, each built holding <see cref="Secret"/>.</summary>
    private static readonly Dictionary<string, Func<SecretValue>> SecretTypes = new()
    {
        [nameof(AccessToken)] = () => new AccessToken(Secret, "Bearer", DateTimeOffset.UnixEpoch, "sales.read"),
        [nameof(ApiKey)] = () => new ApiKey(Secret, ApiKeyPlacement.Header, "X-Api-Key"),
        [nameof(RefreshToken)] = () => new RefreshToken(Secret),
        [nameof(WorkloadAccessToken)] = () => new WorkloadAccessToken(Secret),
        [nameof(InboundAccessToken)] = () => new InboundAccessToken(Secret, DateTimeOffset.UnixEpoch),
    };

    /// <summary>Every way a value can be shown, each returning what a reader (a log, a model, a person) would see.</summary>
    private static readonly Dictionary<string, Func<SecretValue, string>> ExposurePaths = new()
    {
        ["ToString()"] = value => value.ToString(),
        ["interpolation"] = value => $"credential: {value}",
        ["interpolation with alignment and format"] = value => $"{value,80}|{value:G}|{value:X}",
        ["string.Format"] = value => string.Format(CultureInfo.InvariantCulture, "{0} {0,-40}", value),
        ["string.Concat(object)"] = value => string.Concat("credential ", value),
        ["StringBuilder.Append(object)"] = value => new StringBuilder().Append(value).AppendFormat(CultureInfo.InvariantCulture, "{0}", value).ToString(),
        ["Convert.ToString"] = value => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        ["JSON as its own type"] = value => JsonSerializer.Serialize(value, value.GetType()),
        ["JSON as object"] = value => JsonSerializer.Serialize<object>(value),
        ["JSON as SecretValue"] = value => JsonSerializer.Serialize(value),
        ["JSON inside a tool result"] = value => JsonSerializer.Serialize(new { Summary = "ok", Credential = value, AsObject = (object)value, List = new[] { value }, Map = new Dictionary<string, object> { ["c"] = value } }),
        ["debugger display"] = DebuggerDisplay,
        ["debugger and destructuring: public properties"] = PublicProperties,
        ["log message template"] = value => Logged(logger => logger.LogWarning("Got {Credential} for {Provider}", value, "crm")),
        ["[LoggerMessage] event"] = value => Logged(logger => LogCredential(logger, value)),
        ["log scope"] = value => Logged(logger =>
        {
            using (logger.BeginScope("credential {Credential}", value))
            {
                logger.LogInformation("inside the scope");
            }
        }),
    };

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var type in SecretTypes.Keys)
        {
            foreach (var path in ExposurePaths.Keys)
            {
                cases.Add(type, path);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void No_exposure_path_shows_the_value(string type, string path)
    {
        var value = SecretTypes[type]();
        Assert.Equal(Secret, value.RevealValue()); // the row really holds the secret

        var shown = ExposurePaths[path](value);

        Assert.False(string.IsNullOrEmpty(shown), $"{path} of {type} showed nothing, so the check proves nothing");
        Assert.DoesNotContain(Needle, shown, StringComparison.Ordinal);
        Assert.Contains("redacted", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_holds_every_secret_type_and_no_one_else_can_make_one()
    {
        var secretTypes = typeof(SecretValue).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(SecretValue)) && !type.IsAbstract)
            .Select(type => type.Name)
            .Order(StringComparer.Ordinal);
        Assert.Equal(SecretTypes.Keys.Order(StringComparer.Ordinal), secretTypes);

        // The base's constructor is private protected: another assembly cannot derive a "secret" that skips the guarantees.
        var constructors = typeof(SecretValue).GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        Assert.All(constructors, constructor => Assert.True(constructor.IsFamilyAndAssembly, $"{constructor} is visible outside IdentityGuard"));
    }

    [Theory]
    [MemberData(nameof(SecretTypeNames))]
    public void A_secret_cannot_be_read_back_from_json(string type)
    {
        var value = SecretTypes[type]();
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("\"" + Secret + "\"", value.GetType()));
    }

    public static TheoryData<string> SecretTypeNames() => new(SecretTypes.Keys);

    /// <summary>
    /// What a debugger shows: the <see cref="DebuggerDisplayAttribute"/> found on the type or a base (evaluated here the
    /// way the debugger does for <c>{ToString(),nq}</c>), then every field it would list when the value is expanded.
    /// </summary>
    private static string DebuggerDisplay(SecretValue value)
    {
        var display = value.GetType().GetCustomAttribute<DebuggerDisplayAttribute>(inherit: true);
        Assert.NotNull(display);
        Assert.Equal("{ToString(),nq}", display.Value);

        var shown = new StringBuilder(value.ToString());
        for (var type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.GetCustomAttribute<DebuggerBrowsableAttribute>()?.State == DebuggerBrowsableState.Never)
                {
                    continue;
                }

                shown.Append(' ').Append(field.Name).Append('=').Append(field.GetValue(value));
            }
        }

        return shown.ToString();
    }

    /// <summary>Every public property's value, as a destructuring logger or the debugger's property view reads them.</summary>
    private static string PublicProperties(SecretValue value) =>
        value.ToString() + " " + string.Join(' ', value.GetType()
            .GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(property => property.GetIndexParameters().Length == 0)
            .Select(property => property.Name + "=" + Convert.ToString(property.GetValue(value), CultureInfo.InvariantCulture)));

    /// <summary>
    /// Logs through a real logger factory and returns everything a sink receives: the formatted message, each
    /// structured value as text and as JSON (what a JSON log formatter writes), and the scopes.
    /// </summary>
    private static string Logged(Action<ILogger> log)
    {
        var collector = new FakeLogCollector();
        using (var factory = LoggerFactory.Create(builder => builder.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace)))
        {
            log(factory.CreateLogger("Agent"));
        }

        var shown = new StringBuilder();
        foreach (var record in collector.GetSnapshot())
        {
            shown.Append(record.Message).Append('\n');
            AppendStructured(shown, record.State);
            foreach (var scope in record.Scopes)
            {
                shown.Append(Convert.ToString(scope, CultureInfo.InvariantCulture)).Append('\n');
                AppendStructured(shown, scope);
            }
        }

        return shown.ToString();
    }

    private static void AppendStructured(StringBuilder shown, object? state)
    {
        if (state is not IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            return;
        }

        foreach (var (key, item) in pairs)
        {
            shown.Append(key).Append('=').Append(Convert.ToString(item, CultureInfo.InvariantCulture))
                .Append(" json=").Append(item is null ? "null" : JsonSerializer.Serialize(item, item.GetType())).Append('\n');
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Received {Credential}")]
    private static partial void LogCredential(ILogger logger, SecretValue credential);
}
#pragma warning restore CA1848
