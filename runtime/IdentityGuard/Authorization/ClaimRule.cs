using System;
using System.Collections.Generic;
using System.Linq;

namespace IdentityGuard.Authorization;

/// <summary>How a <see cref="ClaimRule"/> compares a claim's values with the rule's values.</summary>
public enum ClaimRuleOperator
{
    /// <summary>The claim has exactly one value and it equals the rule's single value.</summary>
    Equals,

    /// <summary>One of the claim's values (an element of an array claim, or the single value) equals the rule's single value.</summary>
    Contains,

    /// <summary>One of the claim's values equals any of the rule's values.</summary>
    ContainsAny,
}

/// <summary>
/// A condition on one claim of the inbound token, e.g. <c>tenant Equals contoso</c> or <c>groups ContainsAny [a, b]</c>.
/// Comparisons are ordinal and whole-value: there is deliberately no substring matching, because <c>"admin"</c>
/// appearing inside <c>"not-admin"</c> must never grant anything. A missing claim fails every operator.
/// </summary>
public sealed class ClaimRule
{
    /// <summary>Creates an empty rule, for configuration binding.</summary>
    public ClaimRule()
    {
    }

    /// <summary>Creates a rule.</summary>
    /// <param name="claimType">The claim's name as it appears in the token, e.g. <c>tid</c> or <c>groups</c>.</param>
    /// <param name="operator">How to compare.</param>
    /// <param name="values">The value (for <see cref="ClaimRuleOperator.Equals"/> and <see cref="ClaimRuleOperator.Contains"/>) or values to compare with.</param>
    public ClaimRule(string claimType, ClaimRuleOperator @operator, params string[] values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claimType);
        ArgumentNullException.ThrowIfNull(values);
        ClaimType = claimType;
        Operator = @operator;
        foreach (var value in values)
        {
            Values.Add(value);
        }
    }

    /// <summary>Creates a rule that the claim equals <paramref name="value"/>.</summary>
    public static ClaimRule ClaimEquals(string claimType, string value) => new(claimType, ClaimRuleOperator.Equals, value);

    /// <summary>Creates a rule that the claim's values contain <paramref name="value"/>.</summary>
    public static ClaimRule ClaimContains(string claimType, string value) => new(claimType, ClaimRuleOperator.Contains, value);

    /// <summary>Creates a rule that the claim's values contain at least one of <paramref name="values"/>.</summary>
    public static ClaimRule ClaimContainsAny(string claimType, params string[] values) => new(claimType, ClaimRuleOperator.ContainsAny, values);

    /// <summary>The claim's name as it appears in the token.</summary>
    public string ClaimType { get; set; } = string.Empty;

    /// <summary>How to compare.</summary>
    public ClaimRuleOperator Operator { get; set; }

    /// <summary>The value or values to compare with.</summary>
    public IList<string> Values { get; } = new List<string>();

    /// <summary>Whether the claim values satisfy this rule.</summary>
    /// <param name="claimValues">All values of <see cref="ClaimType"/> in the token (empty when absent).</param>
    /// <returns><see langword="true"/> when the rule holds.</returns>
    public bool IsSatisfiedBy(IReadOnlyList<string> claimValues)
    {
        ArgumentNullException.ThrowIfNull(claimValues);
        return Operator switch
        {
            ClaimRuleOperator.Equals => claimValues.Count == 1 && string.Equals(claimValues[0], Values[0], StringComparison.Ordinal),
            ClaimRuleOperator.Contains => claimValues.Contains(Values[0], StringComparer.Ordinal),
            ClaimRuleOperator.ContainsAny => claimValues.Any(value => Values.Contains(value, StringComparer.Ordinal)),
            _ => false,
        };
    }

    /// <summary>A description for logs and error messages, e.g. <c>tid Equals [contoso]</c>; it names configured values only.</summary>
    public override string ToString() => $"{ClaimType} {Operator} [{string.Join(", ", Values)}]";
}
