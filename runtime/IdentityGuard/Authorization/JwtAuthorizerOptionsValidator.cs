using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Options;

namespace IdentityGuard.Authorization;

/// <summary>
/// Checks <see cref="JwtAuthorizerOptions"/> at start-up, so a misconfigured authorizer fails loudly when the host
/// starts instead of letting requests through (or refusing all of them) later.
/// </summary>
public sealed class JwtAuthorizerOptionsValidator : IValidateOptions<JwtAuthorizerOptions>
{
    private static readonly HashSet<string> SymmetricOrNone = new(StringComparer.OrdinalIgnoreCase) { "none", "HS256", "HS384", "HS512" };

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, JwtAuthorizerOptions options)
    {
        var errors = FindErrors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Lists every problem with <paramref name="options"/>; empty when they are usable.</summary>
    /// <param name="options">The options to check.</param>
    /// <returns>One readable sentence per problem.</returns>
    public static IReadOnlyList<string> FindErrors(JwtAuthorizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var section = JwtAuthorizerOptions.SectionName;

        if (options.DiscoveryUrl is not null && options.Authority is not null)
        {
            errors.Add($"{section}:DiscoveryUrl and {section}:Authority are both set; set one of them.");
        }

        var discovery = options.ResolveDiscoveryUrl();
        if (discovery is null)
        {
            errors.Add($"{section}:DiscoveryUrl (or Authority) is required: the identity provider's OpenID Connect discovery document tells the authorizer which issuer and keys to trust.");
        }
        else if (!discovery.IsAbsoluteUri || (discovery.Scheme != Uri.UriSchemeHttps && discovery.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{section}:DiscoveryUrl: the discovery URL '{discovery}' must be an absolute http(s) URL.");
        }
        else if (options.RequireHttpsMetadata && discovery.Scheme != Uri.UriSchemeHttps && !discovery.IsLoopback)
        {
            errors.Add($"{section}:DiscoveryUrl: the discovery URL '{discovery}' must use HTTPS (only loopback addresses are exempt); set RequireHttpsMetadata to false only for a trusted private network.");
        }
        else if (IssuerBoundConfigurationRetriever.TryGetExpectedIssuer(discovery) is null)
        {
            errors.Add($"{section}:DiscoveryUrl: the discovery URL '{discovery}' must end with /{JwtAuthorizerOptions.DiscoveryPath} (no query): the issuer its document may name is the URL without that path (OpenID Connect Discovery 4.3). Use Authority for the issuer's address.");
        }

        if (options.Audiences.Count == 0 && !options.DisableAudienceValidation)
        {
            errors.Add($"{section}:Audiences is required: name the audience (aud) your API's tokens are issued for. Set DisableAudienceValidation to true only if the identity provider cannot issue audience-restricted tokens.");
        }

        if (options.Audiences.Any(string.IsNullOrWhiteSpace) || options.ValidIssuers.Any(string.IsNullOrWhiteSpace)
            || options.AllowedClientIds.Any(string.IsNullOrWhiteSpace) || options.RequiredScopes.Any(string.IsNullOrWhiteSpace)
            || options.AllowedScopes.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{section}:Audiences, ValidIssuers, AllowedClientIds, RequiredScopes and AllowedScopes must not contain empty entries.");
        }

        if (options.AllowedScopes.Count > 0)
        {
            var notAllowed = options.RequiredScopes.Where(scope => !options.AllowedScopes.Contains(scope, StringComparer.Ordinal)).ToArray();
            if (notAllowed.Length > 0)
            {
                errors.Add($"{section}:RequiredScopes: the required scopes [{string.Join(", ", notAllowed)}] are not in AllowedScopes, so no token could ever pass.");
            }
        }

        FindActorErrors(options, section, errors);

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{section}:ClockSkew must be between 00:00:00 and 00:05:00, not {options.ClockSkew}.");
        }

        if (options.AllowedAlgorithms.Count == 0)
        {
            errors.Add($"{section}:AllowedAlgorithms must name at least one signing algorithm.");
        }

        var unsafeAlgorithms = options.AllowedAlgorithms.Where(SymmetricOrNone.Contains).ToArray();
        if (unsafeAlgorithms.Length > 0)
        {
            errors.Add($"{section}:AllowedAlgorithms must not contain [{string.Join(", ", unsafeAlgorithms)}]: unsigned and shared-secret tokens cannot be verified with a provider's published keys.");
        }

        if (options.ValidTokenTypes.Count == 0 || options.ValidTokenTypes.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{section}:ValidTokenTypes must name at least one token type and contain no empty entries.");
        }

        if (options.MinimumMetadataRefreshInterval < TimeSpan.Zero)
        {
            errors.Add($"{section}:MinimumMetadataRefreshInterval must not be negative.");
        }

        if (options.AutomaticMetadataRefreshInterval < TimeSpan.FromMinutes(5))
        {
            errors.Add($"{section}:AutomaticMetadataRefreshInterval must be at least 00:05:00.");
        }

        for (var i = 0; i < options.ClaimRules.Count; i++)
        {
            var rule = options.ClaimRules[i];
            if (string.IsNullOrWhiteSpace(rule.ClaimType))
            {
                errors.Add($"{section}:ClaimRules[{i}] needs a ClaimType.");
            }

            var expected = rule.Operator == ClaimRuleOperator.ContainsAny ? "at least one value" : "exactly one value";
            var valid = rule.Operator switch
            {
                ClaimRuleOperator.Equals or ClaimRuleOperator.Contains => rule.Values.Count == 1,
                ClaimRuleOperator.ContainsAny => rule.Values.Count > 0,
                _ => false,
            };
            if (!Enum.IsDefined(rule.Operator))
            {
                errors.Add($"{section}:ClaimRules[{i}] has an unknown operator '{rule.Operator}'; use Equals, Contains or ContainsAny.");
            }
            else if (!valid)
            {
                errors.Add($"{section}:ClaimRules[{i}] ({rule.ClaimType} {rule.Operator}) needs {expected}.");
            }
        }

        return errors;
    }

    private static void FindActorErrors(JwtAuthorizerOptions options, string section, List<string> errors)
    {
        if (!Enum.IsDefined(options.ActorRequirement))
        {
            errors.Add($"{section}:ActorRequirement '{options.ActorRequirement}' is unknown; use Allowed, Required or Refused.");
        }

        if (options.AllowedActors.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{section}:AllowedActors must not contain empty entries.");
        }

        if (options.MaxActorChainDepth is { } depth && (depth < 1 || depth > ActorChain.MaxReadableDepth))
        {
            errors.Add($"{section}:MaxActorChainDepth must be between 1 and {ActorChain.MaxReadableDepth}, not {depth}; to refuse delegated tokens set ActorRequirement to Refused.");
        }

        if (options.ActorRequirement == ActorRequirement.Refused && (options.AllowedActors.Count > 0 || options.MaxActorChainDepth is not null))
        {
            errors.Add($"{section}:ActorRequirement is Refused, so AllowedActors and MaxActorChainDepth could never apply; remove them or allow actors.");
        }
    }
}
