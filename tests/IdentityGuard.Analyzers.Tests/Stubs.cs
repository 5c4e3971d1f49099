namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// Minimal stand-ins for the types the token-flow and validation rules recognize, declared in their real
/// namespaces (the rules match by metadata name). Only the members the tests use.
/// </summary>
internal static class Stubs
{
    public const string All = """
        #nullable enable
        namespace IdentityGuard.Tokens
        {
            public sealed class AccessToken
            {
                private readonly string _value;
                public AccessToken(string value) { _value = value; }
                public string RevealValue() => _value;
                public string TokenType => "Bearer";
                public System.DateTimeOffset ExpiresAt => default;
                public string? Scope => null;
                public override string ToString() => "Bearer access token [redacted]";
            }

            public sealed class ApiKey
            {
                private readonly string _value;
                public ApiKey(string value) { _value = value; }
                public string RevealValue() => _value;
                public string ParameterName => "X-Api-Key";
                public override string ToString() => "API key [redacted]";
            }
        }

        namespace IdentityGuard.Providers
        {
            public interface ICrmTokens
            {
                System.Threading.Tasks.ValueTask<IdentityGuard.Tokens.AccessToken> GetAsync(System.Threading.CancellationToken cancellationToken = default);
            }
        }

        namespace Microsoft.Extensions.Primitives
        {
            public readonly struct StringValues
            {
                private readonly string? _value;
                public StringValues(string? value) { _value = value; }
                public int Count => _value is null ? 0 : 1;
                public override string ToString() => _value ?? string.Empty;
                public static implicit operator string?(StringValues values) => values._value;
            }
        }

        namespace Microsoft.Extensions.Logging
        {
            public enum LogLevel { Trace, Debug, Information, Warning, Error, Critical, None }

            public interface ILogger
            {
                void Log<TState>(LogLevel logLevel, int eventId, TState state, System.Exception? exception, System.Func<TState, System.Exception?, string> formatter);
                System.IDisposable? BeginScope<TState>(TState state) where TState : notnull;
            }

            public static class LoggerExtensions
            {
                public static void LogInformation(this ILogger logger, string? message, params object?[] args) { }
                public static void LogDebug(this ILogger logger, string? message, params object?[] args) { }
                public static void LogWarning(this ILogger logger, string? message, params object?[] args) { }
                public static void LogError(this ILogger logger, System.Exception? exception, string? message, params object?[] args) { }
                public static void Log(this ILogger logger, LogLevel logLevel, string? message, params object?[] args) { }
            }

            [System.AttributeUsage(System.AttributeTargets.Method)]
            public sealed class LoggerMessageAttribute : System.Attribute
            {
                public LoggerMessageAttribute(int eventId, LogLevel level, string message) { }
            }
        }

        namespace Serilog
        {
            public static class Log
            {
                public static void Information(string messageTemplate, params object?[] propertyValues) { }
            }
        }

        namespace Microsoft.Identity.Client
        {
            public class AuthenticationResult
            {
                public string AccessToken { get; set; } = string.Empty;
                public string IdToken { get; set; } = string.Empty;
                public System.DateTimeOffset ExpiresOn { get; set; }
            }

            public class ConfidentialClientApplicationBuilder
            {
                public static ConfidentialClientApplicationBuilder Create(string clientId) => new();
                public ConfidentialClientApplicationBuilder WithAuthority(string authorityUri, bool validateAuthority = true) => this;
            }
        }

        namespace Duende.IdentityModel.Client
        {
            public class TokenResponse
            {
                public string? AccessToken { get; set; }
                public string? RefreshToken { get; set; }
                public string? IdentityToken { get; set; }
                public int ExpiresIn { get; set; }
                public string? Error { get; set; }
            }

            public class ProtocolRequest
            {
                public string? Address { get; set; }
            }

            public class ClientCredentialsTokenRequest : ProtocolRequest
            {
                public string? ClientId { get; set; }
                public string? Scope { get; set; }
            }

            public class DiscoveryPolicy
            {
                public bool RequireHttps { get; set; } = true;
                public string? Authority { get; set; }
            }

            public class DiscoveryDocumentRequest : ProtocolRequest
            {
                public DiscoveryPolicy Policy { get; set; } = new();
            }

            public class DiscoveryCache
            {
                public DiscoveryCache(string authority) { }
            }
        }

        namespace IdentityModel.Client
        {
            public class TokenResponse
            {
                public string? AccessToken { get; set; }
            }
        }

        namespace Microsoft.AspNetCore.Http
        {
            public interface IHeaderDictionary
            {
                Microsoft.Extensions.Primitives.StringValues this[string key] { get; set; }
                Microsoft.Extensions.Primitives.StringValues Authorization { get; set; }
                bool TryGetValue(string key, out Microsoft.Extensions.Primitives.StringValues value);
            }

            public abstract class HttpRequest
            {
                public abstract IHeaderDictionary Headers { get; }
                public abstract string Path { get; }
            }

            public abstract class HttpContext
            {
                public abstract HttpRequest Request { get; }
            }
        }

        namespace Microsoft.AspNetCore.Authentication
        {
            // HttpContext.GetTokenAsync is declared here in ASP.NET Core, not in AuthenticationTokenExtensions.
            public static class AuthenticationHttpContextExtensions
            {
                public static System.Threading.Tasks.Task<string?> GetTokenAsync(this Microsoft.AspNetCore.Http.HttpContext context, string tokenName) =>
                    System.Threading.Tasks.Task.FromResult<string?>(null);
            }
        }

        namespace Microsoft.AspNetCore.Authentication.JwtBearer
        {
            public class JwtBearerOptions
            {
                public string? Authority { get; set; }
                public string? MetadataAddress { get; set; }
                public bool RequireHttpsMetadata { get; set; } = true;
                public Microsoft.IdentityModel.Tokens.TokenValidationParameters TokenValidationParameters { get; set; } = new();
            }
        }

        namespace Microsoft.IdentityModel.Tokens
        {
            public abstract class SecurityToken { }
            public delegate SecurityToken SignatureValidator(string token, TokenValidationParameters validationParameters);
            public delegate string IssuerValidator(string issuer, SecurityToken securityToken, TokenValidationParameters validationParameters);
            public delegate bool AudienceValidator(System.Collections.Generic.IEnumerable<string> audiences, SecurityToken securityToken, TokenValidationParameters validationParameters);
            public delegate bool LifetimeValidator(System.DateTime? notBefore, System.DateTime? expires, SecurityToken securityToken, TokenValidationParameters validationParameters);

            public class TokenValidationParameters
            {
                public bool ValidateIssuer { get; set; } = true;
                public bool ValidateAudience { get; set; } = true;
                public bool ValidateLifetime { get; set; } = true;
                public bool ValidateIssuerSigningKey { get; set; }
                public bool RequireSignedTokens { get; set; } = true;
                public bool RequireExpirationTime { get; set; } = true;
                public string? ValidIssuer { get; set; }
                public SignatureValidator? SignatureValidator { get; set; }
                public IssuerValidator? IssuerValidator { get; set; }
                public AudienceValidator? AudienceValidator { get; set; }
                public LifetimeValidator? LifetimeValidator { get; set; }
            }
        }

        namespace Microsoft.IdentityModel.JsonWebTokens
        {
            public class JsonWebToken : Microsoft.IdentityModel.Tokens.SecurityToken
            {
                public JsonWebToken(string jwtEncodedString) { EncodedToken = jwtEncodedString; }
                public string EncodedToken { get; }
                public string Issuer => string.Empty;
            }
        }

        namespace ModelContextProtocol.Server
        {
            [System.AttributeUsage(System.AttributeTargets.Method)]
            public sealed class McpServerToolAttribute : System.Attribute { }

            [System.AttributeUsage(System.AttributeTargets.Class)]
            public sealed class McpServerToolTypeAttribute : System.Attribute { }

            public abstract class McpServerTool
            {
                public static McpServerTool Create(System.Delegate method, object? options = null) => null!;
            }
        }

        namespace Microsoft.SemanticKernel
        {
            [System.AttributeUsage(System.AttributeTargets.Method)]
            public sealed class KernelFunctionAttribute : System.Attribute
            {
                public KernelFunctionAttribute(string? name = null) { }
            }
        }

        namespace Microsoft.Extensions.AI
        {
            public abstract class AIFunction { }

            public static class AIFunctionFactory
            {
                public static AIFunction Create(System.Delegate method, string? name = null, string? description = null) => null!;
            }
        }
        """;
}
