using System.Linq;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace IdentityGuard.Tests;

/// <summary>Every log event of the runtime has its own id, so a log query or alert on an id means one thing.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void Every_LoggerMessage_event_id_is_used_once()
    {
        var events = typeof(IdentityGuard.Tokens.AccessToken).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(entry => entry.Attribute is not null)
            .ToArray();

        Assert.True(events.Length > 10, "the runtime's [LoggerMessage] events should be found");
        var duplicates = events.GroupBy(entry => entry.Attribute!.EventId)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(entry => entry.Method.DeclaringType!.Name + "." + entry.Method.Name))}")
            .ToArray();
        Assert.Empty(duplicates);
    }
}
