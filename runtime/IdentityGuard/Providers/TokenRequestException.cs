using System;
using System.Net;

namespace IdentityGuard.Providers;

/// <summary>The authorization server refused a token request or could not be reached.</summary>
public sealed class TokenRequestException : CredentialUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public TokenRequestException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public TokenRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TokenRequestException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from a token endpoint answer.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="error">The OAuth <c>error</c> code, e.g. <c>invalid_client</c>.</param>
    /// <param name="errorDescription">The server's <c>error_description</c>, if any.</param>
    /// <param name="statusCode">The HTTP status of the answer, if one arrived.</param>
    /// <param name="innerException">The transport failure, if any.</param>
    public TokenRequestException(string provider, string error, string? errorDescription, HttpStatusCode? statusCode, Exception? innerException = null)
        : base(provider, Describe(error, errorDescription, statusCode), innerException)
    {
        Error = error;
        ErrorDescription = errorDescription;
        StatusCode = statusCode;
    }

    /// <summary>The OAuth <c>error</c> code (<c>invalid_client</c>, <c>invalid_scope</c>, …) or a transport error kind.</summary>
    public string? Error { get; }

    /// <summary>The server's <c>error_description</c>.</summary>
    public string? ErrorDescription { get; }

    /// <summary>The HTTP status code of the token endpoint's answer, when one arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    private static string Describe(string error, string? description, HttpStatusCode? status)
    {
        var text = $"the token request failed with '{error}'";
        if (status is { } code)
        {
            text += $" (HTTP {(int)code})";
        }

        return string.IsNullOrEmpty(description) ? text + "." : $"{text}: {description}";
    }
}
