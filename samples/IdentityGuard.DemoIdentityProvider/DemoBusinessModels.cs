using System;
using System.Collections.Generic;

namespace IdentityGuard.Demo;

/// <summary>One call note in the demo CRM.</summary>
/// <param name="Date">When the call took place.</param>
/// <param name="Author">Who wrote the note.</param>
/// <param name="Summary">What was discussed.</param>
public sealed record CallNote(DateOnly Date, string Author, string Summary);

/// <summary>What <c>GET /clients/{clientId}/notes</c> on the CRM API returns.</summary>
/// <param name="ClientId">The client (customer) identifier, e.g. <c>acme</c>.</param>
/// <param name="ClientName">The customer's display name.</param>
/// <param name="Notes">The call notes, oldest first.</param>
public sealed record ClientNotes(string ClientId, string ClientName, IReadOnlyList<CallNote> Notes);

/// <summary>One line of a customer's spend in the demo finance system.</summary>
/// <param name="Quarter">The fiscal quarter, e.g. <c>2025-Q1</c>.</param>
/// <param name="Category">The product or service category.</param>
/// <param name="Amount">The amount spent, in <see cref="ClientSpend.Currency"/>.</param>
public sealed record SpendLine(string Quarter, string Category, decimal Amount);

/// <summary>What <c>GET /clients/{clientId}/spend</c> on the finance API returns.</summary>
/// <param name="ClientId">The client (customer) identifier.</param>
/// <param name="Currency">The ISO 4217 currency code of every amount.</param>
/// <param name="Lines">The spend lines, oldest first.</param>
/// <param name="Total">The sum of the lines.</param>
public sealed record ClientSpend(string ClientId, string Currency, IReadOnlyList<SpendLine> Lines, decimal Total);

/// <summary>The body of <c>POST /briefs</c> on the documents API.</summary>
/// <param name="ClientId">The customer the brief is about.</param>
/// <param name="Title">The brief's title.</param>
/// <param name="Content">The brief's text.</param>
public sealed record BriefDraft(string ClientId, string Title, string Content);

/// <summary>A brief stored by the documents API.</summary>
/// <param name="Id">The identifier the API assigned, e.g. <c>brief-1</c>.</param>
/// <param name="ClientId">The customer the brief is about.</param>
/// <param name="Title">The brief's title.</param>
/// <param name="Content">The brief's text.</param>
/// <param name="Author">The <c>sub</c> of the token that created it: the user the caller acted for.</param>
public sealed record Brief(string Id, string ClientId, string Title, string Content, string Author);

/// <summary>
/// One request a <see cref="DemoBusinessApi"/> received, as the API saw its caller. Never contains the token.
/// </summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path, without the query string.</param>
/// <param name="StatusCode">The status the API answered with (401: no valid token, e.g. wrong audience; 403: missing scope).</param>
/// <param name="Subject">The validated token's <c>sub</c>, or <see langword="null"/> when no valid token was presented.</param>
/// <param name="ClientId">The client the token was issued to, if known.</param>
/// <param name="Actor">The <c>sub</c> in the token's <c>act</c> claim (token exchange), if any.</param>
/// <param name="Scopes">The token's scopes; empty without a valid token.</param>
public sealed record DemoApiCall(
    string Method, string Path, int StatusCode, string? Subject, string? ClientId, string? Actor, IReadOnlyList<string> Scopes)
{
    /// <summary>Whether the API answered with a 2xx status.</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
