using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Samples.Tests;

/// <summary>Keeps every log record's message, structured values and exception text, from every category, at every level.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger : ILogger
    {
        private readonly CapturingLoggerProvider _owner;
        private readonly string _category;

        public Logger(CapturingLoggerProvider owner, string category)
        {
            _owner = owner;
            _category = category;
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new List<string>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var pair in pairs)
                {
                    values.Add(pair.Key + "=" + Render(pair.Value));
                }
            }

            _owner.Records.Enqueue($"{_category} {logLevel} {formatter(state, exception)} | {string.Join("; ", values)} | {exception}");
        }

        private static string Render(object? value) => value switch
        {
            null => string.Empty,
            string text => text,
            System.Collections.IEnumerable items => string.Join(",", System.Linq.Enumerable.Cast<object?>(items)),
            _ => value.ToString() ?? string.Empty,
        };
    }
}
