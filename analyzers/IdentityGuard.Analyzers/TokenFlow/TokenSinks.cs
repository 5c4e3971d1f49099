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

    /// <summary>
    /// Calls whose arguments become the body of an HTTP response (IG0301): minimal-API results, controller helpers
    /// (<c>Ok(…)</c>, <c>Content(…)</c>, <c>Redirect(…)</c>), writes to the response.
    /// </summary>
    public static readonly ImmutableArray<LogSink> Responses = ImmutableArray.Create(
        new LogSink("Microsoft.AspNetCore.Http.Results", "*"),
        new LogSink("Microsoft.AspNetCore.Http.TypedResults", "*"),
        new LogSink("Microsoft.AspNetCore.Mvc.ControllerBase", "*"),
        new LogSink("Microsoft.AspNetCore.Mvc.Controller", "Json"),
        new LogSink("Microsoft.AspNetCore.Http.HttpResponseWritingExtensions", "WriteAsync"),
        new LogSink("Microsoft.AspNetCore.Http.HttpResponseJsonExtensions", "WriteAsJsonAsync"));

    /// <summary>Result types whose constructor arguments are serialized into the response (and their subclasses).</summary>
    public static readonly ImmutableArray<string> ResponseResultTypes = ImmutableArray.Create(
        "Microsoft.AspNetCore.Mvc.ObjectResult",
        "Microsoft.AspNetCore.Mvc.JsonResult");

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

    private readonly HashSet<INamedTypeSymbol> _responseTypes = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _responseMethods = new(SymbolEqualityComparer.Default);
    private readonly HashSet<INamedTypeSymbol> _responseResults = new(SymbolEqualityComparer.Default);

    private ResolvedTokenSinks(Compilation compilation)
    {
        _wholeTypes = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        _methods = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        Resolve(compilation, TokenSinks.Methods, _wholeTypes, _methods);
        Resolve(compilation, TokenSinks.Responses, _responseTypes, _responseMethods);
        foreach (var name in TokenSinks.ResponseResultTypes)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                _responseResults.Add(type);
            }
        }

        _loggerMessageAttribute = compilation.GetTypeByMetadataName(TokenSinks.LoggerMessageAttribute);
        _exception = compilation.GetTypeByMetadataName("System.Exception");
        _textWriter = compilation.GetTypeByMetadataName(TokenSinks.TextWriter);
        _console = compilation.GetTypeByMetadataName("System.Console");
    }

    public static ResolvedTokenSinks Resolve(Compilation compilation) => new(compilation);

    private static void Resolve(Compilation compilation, ImmutableArray<LogSink> rows, HashSet<INamedTypeSymbol> wholeTypes, HashSet<ISymbol> methods)
    {
        foreach (var row in rows)
        {
            if (compilation.GetTypeByMetadataName(row.TypeName) is not { } type)
            {
                continue;
            }

            if (row.MemberName == "*")
            {
                wholeTypes.Add(type);
                continue;
            }

            foreach (var member in type.GetMembers(row.MemberName))
            {
                if (member is IMethodSymbol)
                {
                    methods.Add(member.OriginalDefinition);
                }
            }
        }
    }

    /// <summary>A display name when <paramref name="operation"/> builds or writes an HTTP response body (IG0301), else null.</summary>
    public string? MatchResponse(IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation invocation when _responseTypes.Count + _responseMethods.Count > 0:
                var method = (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).OriginalDefinition;
                return method.ContainingType is { } declaring && (_responseTypes.Contains(declaring) || _responseMethods.Contains(method))
                    ? "the HTTP response built by " + declaring.Name + "." + method.Name
                    : null;
            case IObjectCreationOperation creation when _responseResults.Count > 0:
                for (var type = creation.Type as INamedTypeSymbol; type is not null; type = type.BaseType)
                {
                    if (_responseResults.Contains(type.OriginalDefinition))
                    {
                        return "the HTTP response built by " + creation.Type!.Name;
                    }
                }

                return null;
            default:
                return null;
        }
    }

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
