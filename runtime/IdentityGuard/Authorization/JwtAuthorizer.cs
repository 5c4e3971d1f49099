using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace IdentityGuard.Authorization;

/// <summary>
/// Validates inbound JWT access tokens from any OpenID Connect identity provider, found through its discovery
/// document, and decides whether the caller may proceed: signature by a published key, issuer, audience, lifetime,
/// token type, allowed client, required and allowed scopes and custom claim rules. It needs no ASP.NET Core, so
/// console agents and MCP stdio servers use it directly; the <c>IdentityGuard.AspNetCore</c> package wraps it as an
/// authentication scheme. Every refusal is logged without token content and audited as <see cref="AuditEventKind.Denied"/>.
/// </summary>
public sealed class JwtAuthorizer : IDisposable
{
    private static readonly string[] ClientIdClaims = ["client_id", "azp", "cid"];
    private static readonly string[] ScopeClaims = ["scope", "scp"];

    private readonly JwtAuthorizerOptions _options;
    private readonly IssuerMetadataSource _metadata;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly AuditLog? _auditLog;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HttpClient? _ownedHttpClient;
    private readonly string _workload;

    /// <summary>Creates an authorizer.</summary>
    /// <param name="options">What to trust and require; validated here (see <see cref="JwtAuthorizerOptionsValidator"/>).</param>
    /// <param name="metadataHttpClient">The client used to fetch the discovery document and keys; when <see langword="null"/>, the authorizer creates and owns one.</param>
    /// <param name="auditLog">Where refusals are audited; <see langword="null"/> to audit nothing.</param>
    /// <param name="logger">Where events are logged.</param>
    /// <param name="timeProvider">The clock for metadata refresh intervals.</param>
    /// <exception cref="OptionsValidationException">The options are incomplete or unsafe.</exception>
    public JwtAuthorizer(
        JwtAuthorizerOptions options,
        HttpClient? metadataHttpClient = null,
        AuditLog? auditLog = null,
        ILogger<JwtAuthorizer>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = JwtAuthorizerOptionsValidator.FindErrors(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(JwtAuthorizerOptions), errors);
        }

        _options = options;
        _auditLog = auditLog;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _workload = string.IsNullOrWhiteSpace(options.Workload)
            ? Assembly.GetEntryAssembly()?.GetName().Name ?? "unnamed-workload"
            : options.Workload;

        if (metadataHttpClient is null)
        {
            _ownedHttpClient = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            metadataHttpClient = _ownedHttpClient;
        }

        _metadata = new IssuerMetadataSource(
            options.ResolveDiscoveryUrl()!,
            metadataHttpClient,
            options.RequireHttpsMetadata,
            options.MinimumMetadataRefreshInterval,
            options.AutomaticMetadataRefreshInterval,
            _time);
    }

    /// <summary>The options in force.</summary>
    public JwtAuthorizerOptions Options => _options;

    /// <summary>
    /// Validates <paramref name="token"/> (the bearer token alone, without the <c>Bearer</c> prefix) and checks that
    /// its caller is authorized.
    /// </summary>
    /// <param name="token">The compact JWT.</param>
    /// <param name="cancellationToken">Cancels fetching metadata.</param>
    /// <returns>The verified caller, or why it was refused.</returns>
    public async Task<AuthorizationResult> ValidateAsync(string? token, CancellationToken cancellationToken = default)
    {
        var result = await ValidateCoreAsync(token, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            AuthorizerLog.CallerAccepted(_logger, result.Caller.Subject, result.Caller.ClientId ?? "-", result.Caller.Actors);
        }
        else
        {
            Refuse(result.Failure);
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _metadata.Dispose();
        _ownedHttpClient?.Dispose();
    }

    private async Task<AuthorizationResult> ValidateCoreAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return Invalid(AuthorizationFailureReasons.MissingToken, "No access token was presented.");
        }

        // The header is read unverified: to name an alg failure precisely (the handler below enforces the same rules),
        // and to honour crit, which the handler does not. The signature covers the header, so a forger gains nothing.
        var headerFailure = CheckHeader(token);
        if (headerFailure is not null)
        {
            return AuthorizationResult.Fail(headerFailure);
        }

        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await _metadata.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return MetadataUnavailable(ex);
        }

        var validation = await _handler.ValidateTokenAsync(token, CreateParameters(configuration)).ConfigureAwait(false);
        if (!validation.IsValid && validation.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Key rollover: the provider may have started signing with a key published after our last fetch.
            var refreshed = await RefreshForUnknownKeyAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (refreshed is not null)
            {
                validation = await _handler.ValidateTokenAsync(token, CreateParameters(refreshed)).ConfigureAwait(false);
            }
        }

        if (!validation.IsValid)
        {
            return AuthorizationResult.Fail(TokenRejections.FromException(validation.Exception));
        }

        return Authorize((JsonWebToken)validation.SecurityToken, token);
    }

    private AuthorizationFailure? CheckHeader(string token)
    {
        JsonWebToken unverified;
        try
        {
            unverified = new JsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            return TokenRejections.Malformed;
        }

        if (unverified.IsEncrypted)
        {
            return new AuthorizationFailure(AuthorizationErrors.InvalidToken, AuthorizationFailureReasons.MalformedToken, "Encrypted access tokens are not supported.");
        }

        var algorithm = unverified.Alg;
        if (string.IsNullOrEmpty(algorithm) || string.Equals(algorithm, "none", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(unverified.EncodedSignature))
        {
            return new AuthorizationFailure(AuthorizationErrors.InvalidToken, AuthorizationFailureReasons.UnsignedToken, "The token is not signed.");
        }

        if (!_options.AllowedAlgorithms.Contains(algorithm, StringComparer.Ordinal))
        {
            return new AuthorizationFailure(AuthorizationErrors.InvalidToken, AuthorizationFailureReasons.AlgorithmNotAllowed, "The token's signing algorithm is not accepted.");
        }

        return CriticalHeaderCheck.Check(unverified);
    }

    private async Task<OpenIdConnectConfiguration?> RefreshForUnknownKeyAsync(OpenIdConnectConfiguration seen, CancellationToken cancellationToken)
    {
        try
        {
            AuthorizerLog.RefreshingForUnknownKey(_logger, _metadata.DiscoveryUrl);
            var refreshed = await _metadata.RefreshAsync(seen, cancellationToken).ConfigureAwait(false);
            if (refreshed is null)
            {
                AuthorizerLog.RefreshSuppressed(_logger, _metadata.DiscoveryUrl, _options.MinimumMetadataRefreshInterval);
            }

            return refreshed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The cached keys stay in use; the token is refused as signed by an unknown key.
            AuthorizerLog.MetadataUnavailable(_logger, _metadata.DiscoveryUrl, ex);
            return null;
        }
    }

    private TokenValidationParameters CreateParameters(OpenIdConnectConfiguration configuration)
    {
        IEnumerable<string> issuers = _options.ValidIssuers.Count > 0 ? _options.ValidIssuers : [configuration.Issuer];
        return new TokenValidationParameters
        {
            ValidIssuers = issuers,
            ValidateIssuer = true,
            ValidAudiences = _options.Audiences,
            ValidateAudience = !_options.DisableAudienceValidation,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            ValidAlgorithms = _options.AllowedAlgorithms,
            ValidTypes = _options.ValidTokenTypes,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = _options.ClockSkew,
            LifetimeValidator = ValidateLifetime,
        };
    }

    /// <summary>
    /// The library's lifetime rules on the authorizer's clock (the library reads the system clock), so a host's
    /// <see cref="TimeProvider"/> decides expiry as it decides metadata refreshes.
    /// </summary>
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is not { } expiry)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiration time.");
        }

        if (notBefore is { } start && start > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = start };
        }

        if (expiry < now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expiry };
        }

        return true;
    }

    private AuthorizationResult Authorize(JsonWebToken jwt, string token)
    {
        var claims = ReadClaims(jwt);
        if (!_options.AllowIdTokenClaims && IdTokenClaims.AreCarriedBy(claims))
        {
            return Invalid(AuthorizationFailureReasons.IdToken, "The token is an ID token, not an access token.");
        }

        var subject = First(claims, "sub");
        if (subject is null)
        {
            return Invalid(AuthorizationFailureReasons.MissingSubject, "The token has no subject (sub).");
        }

        if (!ActorChain.TryParse(First(claims, "act"), out var actors))
        {
            return Invalid(AuthorizationFailureReasons.MalformedActor, "The token's actor claim (act) is malformed.");
        }

        var clientId = ClientIdClaims.Select(name => First(claims, name)).FirstOrDefault(value => value is not null);
        var scopes = ScopeClaims
            .SelectMany(name => claims.TryGetValue(name, out var values) ? values : [])
            .SelectMany(value => value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        if (_options.AllowedClientIds.Count > 0 && (clientId is null || !_options.AllowedClientIds.Contains(clientId, StringComparer.Ordinal)))
        {
            return Forbidden(AuthorizationErrors.ClientNotAllowed, "The client application is not allowed to call.", subject, actors);
        }

        var missing = _options.RequiredScopes.Where(scope => !scopes.Contains(scope, StringComparer.Ordinal)).ToArray();
        if (missing.Length > 0)
        {
            return Forbidden(AuthorizationErrors.InsufficientScope, $"The token lacks the required scope(s): {string.Join(' ', missing)}.", subject, actors);
        }

        if (_options.AllowedScopes.Count > 0 && scopes.Any(scope => !_options.AllowedScopes.Contains(scope, StringComparer.Ordinal)))
        {
            // The offending scope names come from the token, so only the configured set is quoted back.
            return Forbidden(AuthorizationErrors.ScopeNotAllowed, $"The token carries scopes beyond the allowed set: {string.Join(' ', _options.AllowedScopes)}.", subject, actors);
        }

        foreach (var rule in _options.ClaimRules)
        {
            var values = claims.TryGetValue(rule.ClaimType, out var found) ? found : (IReadOnlyList<string>)[];
            if (!rule.IsSatisfiedBy(values))
            {
                return Forbidden(AuthorizationErrors.ClaimRuleNotSatisfied, $"The claim rule '{rule}' is not satisfied.", subject, actors);
            }
        }

        if (CheckActors(actors, subject) is { } actorFailure)
        {
            return actorFailure;
        }

        var expiresAt = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        var caller = new VerifiedCaller(
            subject,
            jwt.Issuer,
            clientId,
            scopes,
            jwt.Audiences.ToArray(),
            expiresAt,
            claims,
            new InboundAccessToken(token, expiresAt),
            actors);
        return AuthorizationResult.Success(caller);
    }

    private AuthorizationResult? CheckActors(ActorChain actors, string subject)
    {
        // The names quoted back are the configured ones, never the token's: an actor's sub is the sender's text.
        if (actors.Count == 0)
        {
            return _options.ActorRequirement == ActorRequirement.Required
                ? ForbiddenActor(AuthorizationFailureReasons.ActorRequired, "Only an agent acting for a user may call; the token names no actor.", subject, actors)
                : null;
        }

        if (_options.ActorRequirement == ActorRequirement.Refused)
        {
            return ForbiddenActor(AuthorizationFailureReasons.ActorRefused, "Delegated tokens (with an actor) are not accepted.", subject, actors);
        }

        if (_options.MaxActorChainDepth is { } depth && actors.Count > depth)
        {
            return ForbiddenActor(AuthorizationFailureReasons.ActorChainTooDeep, $"The chain of acting agents is longer than {depth}.", subject, actors);
        }

        if (_options.AllowedActors.Count > 0 && actors.Any(actor => !_options.AllowedActors.Contains(actor, StringComparer.Ordinal)))
        {
            return ForbiddenActor(AuthorizationFailureReasons.UnknownActor, "An agent in the actor chain is not allowed to call.", subject, actors);
        }

        return null;
    }

    private static AuthorizationResult ForbiddenActor(string reason, string message, string subject, ActorChain actors) =>
        AuthorizationResult.Fail(new AuthorizationFailure(AuthorizationErrors.ActorNotAllowed, reason, message, subject) { Actors = actors });

    private static Dictionary<string, IReadOnlyList<string>> ReadClaims(JsonWebToken jwt)
    {
        // JsonWebToken.Claims yields one claim per array element and JSON text for objects: exactly a multi-map.
        var claims = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var group in jwt.Claims.GroupBy(claim => claim.Type, StringComparer.Ordinal))
        {
            claims[group.Key] = group.Select(claim => claim.Value).ToArray();
        }

        return claims;
    }

    private static string? First(Dictionary<string, IReadOnlyList<string>> claims, string name) =>
        claims.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private static AuthorizationResult Invalid(string reason, string message) =>
        AuthorizationResult.Fail(new AuthorizationFailure(AuthorizationErrors.InvalidToken, reason, message));

    private static AuthorizationResult Forbidden(string error, string message, string subject, ActorChain actors) =>
        AuthorizationResult.Fail(new AuthorizationFailure(error, error, message, subject) { Actors = actors });

    private AuthorizationResult MetadataUnavailable(Exception exception)
    {
        AuthorizerLog.MetadataUnavailable(_logger, _metadata.DiscoveryUrl, exception);

        // Metadata that was read but is not trustworthy is named as such: retrying will not help, fixing the provider will.
        var rejected = MetadataRejectedException.Find(exception);
        return AuthorizationResult.Fail(new AuthorizationFailure(
            AuthorizationErrors.MetadataUnavailable,
            rejected?.Reason ?? AuthorizationErrors.MetadataUnavailable,
            rejected?.CallerMessage ?? "The identity provider's keys are unavailable; the token cannot be checked right now."));
    }

    private void Refuse(AuthorizationFailure failure)
    {
        AuthorizerLog.CallerRefused(_logger, failure.Error, failure.Reason, failure.Subject ?? "-");

        // Only a verified subject is named: an unverified sub claim is whatever the sender wrote.
        var reason = failure.Reason == failure.Error ? failure.Error : $"{failure.Error} ({failure.Reason})";
        _auditLog?.Record(AuditEventKind.Denied, _workload, failure.Subject, provider: null, scopes: null, reason: reason, actors: failure.Actors);
    }
}
