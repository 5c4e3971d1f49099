using System;
using System.Linq;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Threading.Tasks;
using IdentityGuard.Authorization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IdentityGuard.AspNetCore;

/// <summary>
/// Authenticates requests by their <c>Authorization: Bearer</c> token with the <see cref="JwtAuthorizer"/>, and answers
/// refusals the way RFC 6750 says: 401 with <c>error="invalid_token"</c> for a bad token, 403 with
/// <c>error="insufficient_scope"</c> for a missing scope, 403 for other authorization refusals, and 503 when the
/// identity provider's keys cannot be fetched.
/// </summary>
public sealed class IdentityGuardJwtHandler : AuthenticationHandler<IdentityGuardJwtOptions>
{
    private const string BearerPrefix = "Bearer ";

    private readonly JwtAuthorizer _authorizer;
    private AuthorizationFailure? _failure;

    /// <summary>Creates the handler (one per request).</summary>
    public IdentityGuardJwtHandler(IOptionsMonitor<IdentityGuardJwtOptions> options, ILoggerFactory logger, UrlEncoder encoder, JwtAuthorizer authorizer)
        : base(options, logger, encoder)
    {
        _authorizer = authorizer ?? throw new ArgumentNullException(nameof(authorizer));
    }

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // No bearer token: another scheme may handle the request, and a challenge asks for one (RFC 6750 section 3.1).
            return AuthenticateResult.NoResult();
        }

        var result = await _authorizer.ValidateAsync(header[BearerPrefix.Length..].Trim(), Context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            _failure = result.Failure;
            return AuthenticateResult.Fail(result.Failure.Message);
        }

        var caller = result.Caller;
        Context.Features.Set<IVerifiedCallerFeature>(new VerifiedCallerFeature(caller));

        var claims = caller.Claims.SelectMany(claim => claim.Value.Select(value => new Claim(claim.Key, value, ClaimValueTypes.String, caller.Issuer)));
        var identity = new VerifiedCallerIdentity(caller, claims, Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The challenge may run without an earlier authenticate call (e.g. a default-challenge-only setup).
        await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);

        var failure = _failure;
        if (failure is null)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.Append(HeaderNames.WWWAuthenticate, BuildChallenge(error: null, description: null, ChallengeScope()));
            return;
        }

        switch (failure.Error)
        {
            case AuthorizationErrors.InvalidToken:
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                Response.Headers.Append(HeaderNames.WWWAuthenticate, BuildChallenge(AuthorizationErrors.InvalidToken, failure.Message, ChallengeScope()));
                break;
            case AuthorizationErrors.InsufficientScope:
                Response.StatusCode = StatusCodes.Status403Forbidden;
                Response.Headers.Append(
                    HeaderNames.WWWAuthenticate,
                    BuildChallenge(AuthorizationErrors.InsufficientScope, failure.Message, string.Join(' ', _authorizer.Options.RequiredScopes)));
                break;
            case AuthorizationErrors.MetadataUnavailable:
                Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                break;
            default:
                // Authentic token, but this caller may not call: RFC 6750 has no error code for it, so a plain 403.
                Response.StatusCode = StatusCodes.Status403Forbidden;
                break;
        }
    }

    private string BuildChallenge(string? error, string? description, string? scope)
    {
        var builder = new StringBuilder("Bearer");
        var separator = " ";
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                builder.Append(separator).Append(name).Append("=\"").Append(QuotedStringSafe(value)).Append('"');
                separator = ", ";
            }
        }

        Add("realm", Options.Realm);
        Add("error", error);
        Add("error_description", description);
        Add("scope", scope);
        Add("resource_metadata", Options.ResourceMetadataUri?.AbsoluteUri);
        return builder.ToString();
    }

    private string? ChallengeScope() => Options.ChallengeScopes.Count == 0 ? null : string.Join(' ', Options.ChallengeScopes);

    // RFC 6750 limits error_description and scope to printable ASCII without '"' and '\'.
    private static string QuotedStringSafe(string value) =>
        new(value.Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '?').ToArray());
}
