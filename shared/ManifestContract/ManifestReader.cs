using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.ManifestContract;

/// <summary>
/// Reads manifest v1 into a <see cref="ManifestModel"/> and a list of diagnostics, each located at the offending
/// token. A provider with an error is left out of the model; the others are still generated, so one mistake does
/// not cascade into errors wherever the other providers are used.
/// </summary>
internal sealed class ManifestReader
{
    private readonly string _path;
    private readonly SourceText _text;
    private readonly List<ManifestDiagnostic> _diagnostics = new();
    private readonly List<ProviderDeclaration> _declarations = new();
    private int _errorCount;

    private ManifestReader(string path, SourceText text)
    {
        _path = path;
        _text = text;
    }

    /// <summary>Reads the manifest among <paramref name="files"/>; every file after the first is reported.</summary>
    public static ManifestParseResult ReadAll(ImmutableArray<ManifestFile> files, CancellationToken cancellationToken)
    {
        if (files.IsDefaultOrEmpty)
        {
            return ManifestParseResult.None;
        }

        var first = files[0];
        var result = Read(first.Path, first.Text, cancellationToken);
        if (files.Length == 1)
        {
            return result;
        }

        var diagnostics = result.Diagnostics.ToList();
        for (var i = 1; i < files.Length; i++)
        {
            var extra = SourceText.From(files[i].Text ?? string.Empty);
            var span = new TextSpan(0, 0);
            diagnostics.Add(new ManifestDiagnostic(
                ManifestProblems.MultipleManifests.Id,
                files[i].Path,
                span,
                extra.Lines.GetLinePositionSpan(span),
                new[] { first.Path }.ToEquatableArray()));
        }

        return result with { Diagnostics = diagnostics.ToEquatableArray() };
    }

    /// <summary>Reads one manifest.</summary>
    public static ManifestParseResult Read(string path, string? text, CancellationToken cancellationToken)
    {
        var reader = new ManifestReader(path, SourceText.From(text ?? string.Empty));
        var model = text is null
            ? reader.Unreadable()
            : reader.ReadDocument(text, cancellationToken);
        return new ManifestParseResult(model, reader._diagnostics.ToEquatableArray()) { Declarations = reader._declarations.ToEquatableArray() };
    }

    private ManifestModel? Unreadable()
    {
        Report(ManifestProblems.InvalidJson, new TextSpan(0, 0), "the file could not be read");
        return null;
    }

    private ManifestModel? ReadDocument(string text, CancellationToken cancellationToken)
    {
        var parsed = JsonReader.Parse(text);
        if (parsed.Root is null)
        {
            Report(ManifestProblems.InvalidJson, parsed.ErrorSpan, parsed.Error ?? "unreadable document");
            return null;
        }

        if (parsed.Root is not JsonObject root)
        {
            Report(ManifestProblems.InvalidValue, parsed.Root.Span, "The manifest root", "an object, not " + parsed.Root.TypeDescription);
            return null;
        }

        var properties = Index(root, "the manifest", ManifestVocabulary.RootProperties, "Property", StringComparer.Ordinal);
        string? workload = null;
        if (properties.Get("workload") is not { } workloadMember)
        {
            Report(ManifestProblems.MissingProperty, Opening(root), "The manifest", "'workload'");
        }
        else
        {
            workload = ReadNonEmptyString(workloadMember, "'workload' of the manifest");
        }

        var providers = new List<ProviderModel>();
        if (properties.Get("providers") is { } providersMember)
        {
            if (providersMember.Value is JsonObject providersObject)
            {
                // Provider names become configuration keys, which ignore case, and hint names, which Roslyn
                // also compares ignoring case: so names differing only in case are duplicates.
                var unique = Index(providersObject, "'providers'", null, "Provider", StringComparer.OrdinalIgnoreCase);
                foreach (var member in unique.Members)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (ReadProvider(member) is { } provider)
                    {
                        providers.Add(provider);
                    }
                }
            }
            else
            {
                ReportWrongType(providersMember.Value, "'providers' of the manifest", "an object of provider name to provider");
            }
        }

        return new ManifestModel(workload, providers.ToEquatableArray());
    }

    private ProviderModel? ReadProvider(JsonMember member)
    {
        var errorsBefore = _errorCount;
        var name = member.Name;
        var context = "provider '" + name + "'";
        if (NameRules.IdentifierProblem(name) is { } problem)
        {
            Report(ManifestProblems.InvalidIdentifier, member.NameSpan, "Provider", name, problem);
        }

        if (member.Value is not JsonObject body)
        {
            ReportWrongType(member.Value, Capitalize(context), "an object");
            return null;
        }

        _declarations.Add(Declare(name, body));

        // The kind decides which properties are known, so it is read before the others.
        var kindMember = body.Members.FirstOrDefault(static m => m.Name == "kind");
        string? kind = null;
        if (kindMember is null)
        {
            Report(ManifestProblems.MissingProperty, Opening(body), Capitalize(context), "'kind'");
        }
        else if (kindMember.Value is not JsonString kindString)
        {
            ReportWrongType(kindMember.Value, "'kind' of " + context, "a string");
        }
        else if (!ManifestVocabulary.Kinds.Contains(kindString.Value))
        {
            Report(ManifestProblems.UnknownValue, kindString.Span, kindString.Value, "provider kind", string.Join(", ", ManifestVocabulary.Kinds));
        }
        else
        {
            kind = kindString.Value;
        }

        ProviderModel? provider;
        switch (kind)
        {
            case ManifestVocabulary.KindOAuth2:
                provider = ReadOAuth2(name, body, Index(body, context, ManifestVocabulary.OAuth2Properties, "Property", StringComparer.Ordinal), context);
                break;
            case ManifestVocabulary.KindApiKey:
                provider = ReadApiKey(name, body, Index(body, context, ManifestVocabulary.ApiKeyProperties, "Property", StringComparer.Ordinal), context);
                break;
            default:
                // Without a kind the known properties are unknown; still report duplicate keys.
                Index(body, context, null, "Property", StringComparer.Ordinal);
                provider = null;
                break;
        }

        return _errorCount == errorsBefore ? provider : null;
    }

    /// <summary>The provider as written, whatever its errors: the analyzers' view (<see cref="ProviderDeclaration"/>).</summary>
    private static ProviderDeclaration Declare(string name, JsonObject body)
    {
        string? vendor = null;
        ProviderFlow? flow = null;
        var scopes = new List<ScopeDeclaration>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in body.Members)
        {
            // The first occurrence of a key counts, as in the model; a duplicate is an error reported elsewhere.
            if (!seen.Add(member.Name))
            {
                continue;
            }

            switch (member.Name)
            {
                case "vendor" when member.Value is JsonString text:
                    vendor = text.Value;
                    break;
                case "flow" when member.Value is JsonString text && ManifestVocabulary.TryParseFlow(text.Value, out var parsed):
                    flow = parsed;
                    break;
                case "scopes" when member.Value is JsonObject declared:
                    var scopeNames = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var scope in declared.Members)
                    {
                        if (scope.Value is JsonString value && scopeNames.Add(scope.Name))
                        {
                            scopes.Add(new ScopeDeclaration(scope.Name, value.Value, value.Span));
                        }
                    }

                    break;
            }
        }

        return new ProviderDeclaration(name, vendor, flow, scopes.ToEquatableArray());
    }

    private ProviderModel ReadOAuth2(string name, JsonObject body, ObjectIndex properties, string context)
    {
        var flow = ProviderFlow.M2M;
        if (properties.Get("flow") is not { } flowMember)
        {
            Report(ManifestProblems.MissingProperty, Opening(body), Capitalize(context), "'flow'");
        }
        else if (ReadNonEmptyString(flowMember, "'flow' of " + context) is { } flowText &&
                 !ManifestVocabulary.TryParseFlow(flowText, out flow))
        {
            Report(ManifestProblems.UnknownValue, flowMember.Value.Span, flowText, "OAuth flow", string.Join(", ", ManifestVocabulary.Flows));
        }

        var vendorName = ManifestVocabulary.CustomVendor;
        VendorProfile? vendor = null;
        var vendorKnown = true;
        if (properties.Get("vendor") is { } vendorMember && ReadNonEmptyString(vendorMember, "'vendor' of " + context) is { } vendorText)
        {
            if (!VendorCatalog.Names.Contains(vendorText))
            {
                vendorKnown = false;
                Report(ManifestProblems.UnknownValue, vendorMember.Value.Span, vendorText, "vendor", string.Join(", ", VendorCatalog.Names));
            }
            else
            {
                vendorName = vendorText;
                vendor = VendorCatalog.Find(vendorText);
            }
        }

        var vendorParameter = vendorKnown ? ReadVendorParameter(body, properties, vendor, vendorName, context) : null;

        var discoveryUrl = ReadEndpoint(properties, "discoveryUrl", context);
        var tokenEndpoint = ReadEndpoint(properties, "tokenEndpoint", context);
        var authorizationEndpoint = ReadEndpoint(properties, "authorizationEndpoint", context);

        // An explicit discovery document describes the whole server, so the vendor's fixed endpoints must not
        // override what it says; otherwise the vendor fills whichever endpoint the manifest leaves out.
        if (vendor is not null && discoveryUrl is null)
        {
            discoveryUrl = vendor.Resolve(vendor.DiscoveryUrl, vendorParameter);
            tokenEndpoint ??= vendor.Resolve(vendor.TokenEndpoint, vendorParameter);
            authorizationEndpoint ??= vendor.Resolve(vendor.AuthorizationEndpoint, vendorParameter);
        }

        if (vendorKnown && vendor is null && discoveryUrl is null && tokenEndpoint is null &&
            !properties.Has("discoveryUrl") && !properties.Has("tokenEndpoint"))
        {
            Report(ManifestProblems.MissingProperty, Opening(body), Capitalize(context), "'discoveryUrl' or 'tokenEndpoint' (a custom provider names its server)");
        }

        if (vendorKnown && flow == ProviderFlow.UserFederation && authorizationEndpoint is null && discoveryUrl is null &&
            !properties.Has("discoveryUrl") && !properties.Has("authorizationEndpoint"))
        {
            Report(ManifestProblems.MissingProperty, Opening(body), Capitalize(context), "'authorizationEndpoint' (user federation sends the user there unless 'discoveryUrl' is given)");
        }

        ValueModel? clientId = null;
        if (properties.Get("clientId") is not { } clientIdMember)
        {
            Report(ManifestProblems.MissingProperty, Opening(body), Capitalize(context), "'clientId'");
        }
        else
        {
            clientId = ReadValue(clientIdMember, context, secret: false);
        }

        var clientSecret = properties.Get("clientSecret") is { } secretMember ? ReadValue(secretMember, context, secret: true) : null;
        var audience = properties.Get("audience") is { } audienceMember
            ? ReadNonEmptyString(audienceMember, "'audience' of " + context)
            : vendor?.DefaultAudience;
        var scopes = properties.Get("scopes") is { } scopesMember ? ReadScopes(scopesMember, name, context) : EquatableArray<ScopeModel>.Empty;

        return new ProviderModel(name, ProviderKind.OAuth2)
        {
            Flow = flow,
            Vendor = vendorName,
            DiscoveryUrl = discoveryUrl,
            TokenEndpoint = tokenEndpoint,
            AuthorizationEndpoint = authorizationEndpoint,
            ClientId = clientId,
            ClientSecret = clientSecret,
            Audience = audience,
            Scopes = scopes,
            AllowedOrigins = ReadAllowedOrigins(properties, context),
        };
    }

    private string? ReadVendorParameter(JsonObject body, ObjectIndex properties, VendorProfile? vendor, string vendorName, string context)
    {
        var needed = vendor?.ParameterProperty;
        foreach (var property in new[] { "tenant", "domain" })
        {
            if (property != needed && properties.Get(property) is { } unused)
            {
                Report(ManifestProblems.UnknownProperty, unused.NameSpan, property, context, " (vendor '" + vendorName + "' does not use it)");
            }
        }

        if (needed is null)
        {
            return null;
        }

        if (properties.Get(needed) is not { } member)
        {
            Report(ManifestProblems.MissingProperty, Opening(body), Capitalize(context), "'" + needed + "' (vendor '" + vendorName + "' needs it)");
            return null;
        }

        var value = ReadNonEmptyString(member, "'" + needed + "' of " + context);
        if (value is null)
        {
            return null;
        }

        // The value is pasted into endpoint URLs at build time, so it must not be able to change their shape.
        foreach (var c in value)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '-'))
            {
                var example = needed == "tenant" ? "a tenant id or domain such as 'contoso.onmicrosoft.com'" : "a host name such as 'dev-123456.okta.com'";
                Report(ManifestProblems.InvalidValue, member.Value.Span, "'" + needed + "' of " + context, example + " (letters, digits, '.' and '-' only)");
                return null;
            }
        }

        return value;
    }

    private ProviderModel ReadApiKey(string name, JsonObject body, ObjectIndex properties, string context)
    {
        var header = properties.Get("header");
        var query = properties.Get("query");
        string? parameter = null;
        if (header is not null && query is not null)
        {
            var second = header.NameSpan.Start > query.NameSpan.Start ? header : query;
            Report(ManifestProblems.ConflictingProperties, second.NameSpan, Capitalize(context), "'header'", "'query'");
        }
        else if (header is null && query is null)
        {
            Report(ManifestProblems.MissingProperty, Opening(body), Capitalize(context), "'header' or 'query'");
        }
        else if (header is not null)
        {
            parameter = ReadNonEmptyString(header, "'header' of " + context);
            if (parameter is not null && !IsHeaderName(parameter))
            {
                Report(ManifestProblems.InvalidValue, header.Value.Span, "'header' of " + context, "an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)");
                parameter = null;
            }
        }
        else
        {
            parameter = ReadNonEmptyString(query!, "'query' of " + context);
        }

        ValueModel? apiKey = null;
        if (properties.Get("apiKey") is not { } apiKeyMember)
        {
            Report(ManifestProblems.MissingProperty, Opening(body), Capitalize(context), "'apiKey'");
        }
        else
        {
            apiKey = ReadValue(apiKeyMember, context, secret: true);
        }

        return new ProviderModel(name, ProviderKind.ApiKey)
        {
            ApiKey = apiKey,
            ApiKeyInQuery = query is not null && header is null,
            ApiKeyParameter = parameter,
            AllowedOrigins = ReadAllowedOrigins(properties, context),
        };
    }

    private EquatableArray<ScopeModel> ReadScopes(JsonMember member, string provider, string context)
    {
        if (member.Value is not JsonObject scopesObject)
        {
            ReportWrongType(member.Value, "'scopes' of " + context, "an object of enum member name to scope string");
            return EquatableArray<ScopeModel>.Empty;
        }

        var unique = Index(scopesObject, "'scopes' of " + context, null, "Scope", StringComparer.Ordinal);
        if (unique.Members.Count > ManifestVocabulary.MaxScopes)
        {
            Report(ManifestProblems.TooManyScopes, unique.Members[ManifestVocabulary.MaxScopes].NameSpan, Capitalize(context), unique.Members.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var scopes = new List<ScopeModel>();
        foreach (var scope in unique.Members)
        {
            if (NameRules.ScopeMemberProblem(scope.Name, provider) is { } problem)
            {
                Report(ManifestProblems.InvalidIdentifier, scope.NameSpan, "Scope", scope.Name, problem);
            }

            var value = ReadNonEmptyString(scope, "scope '" + scope.Name + "' of " + context);
            if (value is null)
            {
                continue;
            }

            if (!IsScopeToken(value))
            {
                Report(ManifestProblems.InvalidValue, scope.Value.Span, "Scope '" + scope.Name + "' of " + context, "one OAuth scope token: printable ASCII without spaces, '\"' or '\\'");
                continue;
            }

            scopes.Add(new ScopeModel(scope.Name, value));
        }

        return scopes.ToEquatableArray();
    }

    private ValueModel? ReadValue(JsonMember member, string context, bool secret)
    {
        var description = "'" + member.Name + "' of " + context;
        switch (member.Value)
        {
            case JsonString literal when secret:
                // The value is deliberately not echoed: diagnostics end up in build logs and SARIF files.
                Report(ManifestProblems.LiteralSecret, literal.Span, member.Name, context);
                return null;
            case JsonString literal when literal.Value.Length == 0:
                Report(ManifestProblems.InvalidValue, literal.Span, Capitalize(description), "a non-empty string or a reference");
                return null;
            case JsonString literal:
                return new ValueModel(ValueOrigin.Literal, literal.Value);
            case JsonObject reference:
                return ReadReference(reference, description);
            default:
                ReportWrongType(
                    member.Value,
                    Capitalize(description),
                    secret ? "a reference such as { \"configuration\": \"Key\" }" : "a string or a reference such as { \"configuration\": \"Key\" }");
                return null;
        }
    }

    private ValueModel? ReadReference(JsonObject reference, string description)
    {
        var properties = Index(reference, description, ManifestVocabulary.ReferenceProperties, "Property", StringComparer.Ordinal);
        var configuration = properties.Get("configuration");
        var environment = properties.Get("environment");
        if (configuration is not null && environment is not null)
        {
            var second = configuration.NameSpan.Start > environment.NameSpan.Start ? configuration : environment;
            Report(ManifestProblems.ConflictingProperties, second.NameSpan, Capitalize(description), "'configuration'", "'environment'");
            return null;
        }

        if (configuration is null && environment is null)
        {
            Report(ManifestProblems.MissingProperty, Opening(reference), Capitalize(description), "'configuration' or 'environment'");
            return null;
        }

        var member = configuration ?? environment!;
        var key = ReadNonEmptyString(member, "'" + member.Name + "' of " + description);
        if (key is null)
        {
            return null;
        }

        return new ValueModel(configuration is not null ? ValueOrigin.Configuration : ValueOrigin.Environment, key);
    }

    private string? ReadEndpoint(ObjectIndex properties, string property, string context)
    {
        if (properties.Get(property) is not { } member)
        {
            return null;
        }

        var description = "'" + property + "' of " + context;
        var text = ReadNonEmptyString(member, description);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) ||
            (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) ||
            !string.IsNullOrEmpty(uri.Fragment))
        {
            Report(ManifestProblems.InvalidValue, member.Value.Span, Capitalize(description), "an absolute https:// URL without a fragment");
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            Report(ManifestProblems.InsecureEndpoint, member.Value.Span, property, context);
        }

        return text;
    }

    private EquatableArray<string> ReadAllowedOrigins(ObjectIndex properties, string context)
    {
        if (properties.Get("allowedOrigins") is not { } member)
        {
            return EquatableArray<string>.Empty;
        }

        var description = "'allowedOrigins' of " + context;

        // An empty list would either refuse every request or (read as "unset") allow every origin: neither is
        // what someone writing the property means, so it is an error.
        if (member.Value is not JsonArray array || array.Items.Count == 0)
        {
            ReportWrongType(member.Value, Capitalize(description), "a non-empty array of origins such as [\"https://api.example.com\"]");
            return EquatableArray<string>.Empty;
        }

        var origins = new List<string>();
        foreach (var item in array.Items)
        {
            if (item is not JsonString text)
            {
                ReportWrongType(item, "Each item of " + description, "a string");
                continue;
            }

            if (OriginProblem(text.Value, out var origin) is { } problem)
            {
                Report(ManifestProblems.InvalidValue, text.Span, "Each item of " + description, problem);
                continue;
            }

            if (!origins.Contains(origin))
            {
                origins.Add(origin);
            }
        }

        return origins.ToEquatableArray();
    }

    /// <summary>
    /// What is wrong with an origin, or null and its normalized form (lower-case scheme and host, no default
    /// port, no trailing slash): the form the runtime compares request origins with.
    /// </summary>
    private static string? OriginProblem(string text, out string origin)
    {
        origin = string.Empty;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.Host.Length == 0)
        {
            return "an origin such as https://api.example.com";
        }

        if (uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return "an origin (scheme, host and optional port) without user info, path, query or fragment, such as https://api.example.com";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            return "an https origin: credentials are never sent over plain http off loopback, so this origin could never receive one";
        }

        origin = uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
        return null;
    }

    private string? ReadNonEmptyString(JsonMember member, string description)
    {
        if (member.Value is not JsonString value)
        {
            ReportWrongType(member.Value, Capitalize(description), "a string");
            return null;
        }

        if (value.Value.Length == 0)
        {
            Report(ManifestProblems.InvalidValue, value.Span, Capitalize(description), "a non-empty string");
            return null;
        }

        return value.Value;
    }

    /// <summary>Reports duplicate keys (and unknown ones when <paramref name="known"/> is given) and indexes the first occurrences.</summary>
    private ObjectIndex Index(JsonObject value, string context, ImmutableArray<string>? known, string what, StringComparer comparer)
    {
        var index = new ObjectIndex(comparer);
        foreach (var member in value.Members)
        {
            if (index.Get(member.Name) is { } first)
            {
                var suffix = first.Name == member.Name ? string.Empty : " (as '" + first.Name + "'; names must differ in more than letter case)";
                Report(ManifestProblems.DuplicateName, member.NameSpan, what, member.Name, suffix);
                continue;
            }

            index.Add(member);
            if (known is { } names && !names.Contains(member.Name))
            {
                var nearest = NameRules.Nearest(member.Name, names);
                Report(ManifestProblems.UnknownProperty, member.NameSpan, member.Name, context, nearest is null ? string.Empty : "; did you mean '" + nearest + "'?");
            }
        }

        return index;
    }

    private void ReportWrongType(JsonNode value, string description, string expected) =>
        Report(ManifestProblems.InvalidValue, value.Span, Capitalize(description), expected + ", not " + value.TypeDescription);

    private void Report(ManifestProblem problem, TextSpan span, params string[] arguments)
    {
        if (problem.IsError)
        {
            _errorCount++;
        }

        _diagnostics.Add(new ManifestDiagnostic(problem.Id, _path, span, _text.Lines.GetLinePositionSpan(span), arguments.ToEquatableArray()));
    }

    // A missing property is reported at the '{' of the object that should hold it: there is no token of its own.
    private static TextSpan Opening(JsonObject value) => new(value.Span.Start, 1);

    private static string Capitalize(string text) =>
        text.Length > 0 && char.IsLower(text[0]) ? char.ToUpperInvariant(text[0]) + text.Substring(1) : text;

    private static bool IsScopeToken(string value)
    {
        // RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
        foreach (var c in value)
        {
            if (c < '\x21' || c > '\x7E' || c == '"' || c == '\\')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHeaderName(string value)
    {
        // RFC 9110 section 5.6.2: token = 1*tchar.
        foreach (var c in value)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') ||
                  "!#$%&'*+-.^_`|~".IndexOf(c) >= 0))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first occurrence of each key of a JSON object, in document order.</summary>
    private sealed class ObjectIndex
    {
        private readonly Dictionary<string, JsonMember> _byName;
        private readonly List<JsonMember> _members = new();

        public ObjectIndex(StringComparer comparer) => _byName = new Dictionary<string, JsonMember>(comparer);

        public List<JsonMember> Members => _members;

        public JsonMember? Get(string name) => _byName.TryGetValue(name, out var member) ? member : null;

        public bool Has(string name) => _byName.ContainsKey(name);

        public void Add(JsonMember member)
        {
            _byName.Add(member.Name, member);
            _members.Add(member);
        }
    }
}
