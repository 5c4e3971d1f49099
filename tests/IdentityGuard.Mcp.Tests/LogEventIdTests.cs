using System;
using System.Linq;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace IdentityGuard.Mcp.Tests;

/// <summary>
/// The MCP package logs into the same streams as the core runtime, so its [LoggerMessage] event ids must not repeat
/// the core's (IdentityGuard.Tests checks the core on its own).
/// </summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void Event_ids_are_unique_across_the_runtime_and_the_mcp_package()
    {
        var assemblies = new[] { typeof(IdentityGuard.Tokens.AccessToken).Assembly, typeof(IdentityGuardMcpOptions).Assembly, typeof(IdentityGuard.AspNetCore.IdentityGuardJwtOptions).Assembly };
        var events = assemblies
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(entry => entry.Attribute is not null)
            .ToArray();

        Assert.Contains(events, entry => entry.Method.DeclaringType!.Assembly == typeof(IdentityGuardMcpOptions).Assembly);
        var duplicates = events.GroupBy(entry => entry.Attribute!.EventId)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(entry => entry.Method.DeclaringType!.FullName + "." + entry.Method.Name))}")
            .ToArray();
        Assert.True(duplicates.Length == 0, string.Join(Environment.NewLine, duplicates));
    }
}
