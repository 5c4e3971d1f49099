using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.TokenFlow;

/// <summary>One row of the log-sink table: methods of a type, by metadata name (<c>*</c> for all of them).</summary>
internal sealed record LogSink(string TypeName, string MemberName);

/// <summary>
/// Where a token value must not go (IG0300): loggers, the console, Debug/Trace, telemetry and exception
/// messages. Every argument of a sink call is checked; arguments of types that cannot hold text (numbers,
/// dates, enums, <c>bool</c>) never carry taint.
/// </summary>
internal static class TokenSinks
{
    public static readonly ImmutableArray<LogSink> Methods = ImmutableArray.Create(
        // Microsoft.Extensions.Logging: LogInformation…, Log, BeginScope, and the interface itself.
        new LogSink("Microsoft.Extensions.Logging.LoggerExtensions", "*"),
        new LogSink("Microsoft.Extensions.Logging.ILogger", "Log"),
        new LogSink("Microsoft.Extensions.Logging.ILogger", "BeginScope"),

        // Console and System.Diagnostics.
        new LogSink("System.Console", "Write"),
        new LogSink("System.Console", "WriteLine"),
        new LogSink("System.Diagnostics.Debug", "*"),
        new LogSink("System.Diagnostics.Trace", "*"),
        new LogSink("System.Diagnostics.TraceSource", "*"),

        // Serilog: the static Log facade and the ILogger interface.
        new LogSink("Serilog.Log", "*"),
        new LogSink("Serilog.ILogger", "*"),

        // OpenTelemetry-visible Activity data is exported to tracing back ends.
        new LogSink("System.Diagnostics.Activity", "SetTag"),
        new LogSink("System.Diagnostics.Activity", "AddTag"),
        new LogSink("System.Diagnostics.Activity", "AddEvent"),
        new LogSink("System.Diagnostics.Activity", "AddBaggage"),
        new LogSink("System.Diagnostics.Activity", "SetBaggage"),
        new LogSink("System.Diagnostics.Activity", "SetStatus"));

    /// <summary>Any method carrying this attribute is a log sink (the generated <c>[LoggerMessage]</c> partials).</summary>
    public const string LoggerMessageAttribute = "Microsoft.Extensions.Logging.LoggerMessageAttribute";

    /// <summary><c>Console.Out</c>/<c>Console.Error</c> writers are the console too.</summary>
    public const string TextWriter = "System.IO.TextWriter";
}

/// <summary>The sink table resolved against one compilation.</summary>
internal sealed class ResolvedTokenSinks
{
    private readonly HashSet<INamedTypeSymbol> _wholeTypes;
    private readonly HashSet<ISymbol> _methods;
    private readonly INamedTypeSymbol? _loggerMessageAttribute;
    private readonly INamedTypeSymbol? _exception;
    private readonly INamedTypeSymbol? _textWriter;
    private readonly INamedTypeSymbol? _console;

    private ResolvedTokenSinks(Compilation compilation)
    {
        _wholeTypes = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        _methods = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var row in TokenSinks.Methods)
        {
            if (compilation.GetTypeByMetadataName(row.TypeName) is not { } type)
            {
                continue;
            }

            if (row.MemberName == "*")
            {
                _wholeTypes.Add(type);
                continue;
            }

            foreach (var member in type.GetMembers(row.MemberName))
            {
                if (member is IMethodSymbol)
                {
                    _methods.Add(member.OriginalDefinition);
                }
            }
        }

        _loggerMessageAttribute = compilation.GetTypeByMetadataName(TokenSinks.LoggerMessageAttribute);
        _exception = compilation.GetTypeByMetadataName("System.Exception");
        _textWriter = compilation.GetTypeByMetadataName(TokenSinks.TextWriter);
        _console = compilation.GetTypeByMetadataName("System.Console");
    }

    public static ResolvedTokenSinks Resolve(Compilation compilation) => new(compilation);

    /// <summary>A display name for the sink when <paramref name="invocation"/> is a log sink, else null.</summary>
    public string? Match(IInvocationOperation invocation)
    {
        var method = (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).OriginalDefinition;
        var type = method.ContainingType;
        if (type is null)
        {
            return null;
        }

        if (_wholeTypes.Contains(type) || _methods.Contains(method) || IsInterfaceSinkImplementation(method))
        {
            return type.Name + "." + method.Name;
        }

        if (_loggerMessageAttribute is not null && HasAttribute(method, _loggerMessageAttribute))
        {
            return type.Name + "." + method.Name + " ([LoggerMessage])";
        }

        // Console.Out.WriteLine(…) / Console.Error.Write(…).
        if (_textWriter is not null && _console is not null
            && method.Name.StartsWith("Write", System.StringComparison.Ordinal)
            && invocation.Instance is IPropertyReferenceOperation { Property: { } writer }
            && SymbolEqualityComparer.Default.Equals(writer.ContainingType, _console))
        {
            return "Console." + writer.Name + "." + method.Name;
        }

        return null;
    }

    /// <summary>A display name when <paramref name="creation"/> builds an exception (its message is the sink).</summary>
    public string? Match(IObjectCreationOperation creation)
    {
        if (_exception is null)
        {
            return null;
        }

        for (var type = creation.Type as INamedTypeSymbol; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, _exception))
            {
                return "the message of " + creation.Type!.Name;
            }
        }

        return null;
    }

    /// <summary>A call through a class that implements a sink interface (a concrete ILogger, say).</summary>
    private bool IsInterfaceSinkImplementation(IMethodSymbol method)
    {
        if (method.ContainingType.TypeKind == TypeKind.Interface || method.IsStatic)
        {
            return false;
        }

        foreach (var implemented in method.ExplicitInterfaceImplementations)
        {
            if (_methods.Contains(implemented.OriginalDefinition) || _wholeTypes.Contains(implemented.ContainingType.OriginalDefinition))
            {
                return true;
            }
        }

        foreach (var @interface in method.ContainingType.AllInterfaces)
        {
            var isWhole = _wholeTypes.Contains(@interface.OriginalDefinition);
            foreach (var member in @interface.GetMembers(method.Name))
            {
                if ((isWhole || _methods.Contains(member.OriginalDefinition))
                    && SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member)?.OriginalDefinition, method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool HasAttribute(IMethodSymbol method, INamedTypeSymbol attribute)
    {
        foreach (var data in method.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
            {
                return true;
            }
        }

        return false;
    }
}
