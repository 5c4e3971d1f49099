using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace IdentityGuard.Analyzers.Consent;

/// <summary>A user-federation token request that its own method does not catch consent around.</summary>
internal sealed class TokenRequestSite
{
    public TokenRequestSite(Location location, string display, string provider, ISymbol method)
    {
        Location = location;
        Display = display;
        Provider = provider;
        Method = method;
    }

    public Location Location { get; }

    public string Display { get; }

    public string Provider { get; }

    /// <summary>The method (or lambda, or local function) the request sits in.</summary>
    public ISymbol Method { get; }
}

/// <summary>A call of a method declared in the compilation, and whether a consent-handling <c>catch</c> surrounds it.</summary>
internal sealed class CallSite
{
    public CallSite(IMethodSymbol callee, ISymbol caller, bool guarded)
    {
        Callee = callee;
        Caller = caller;
        Guarded = guarded;
    }

    public IMethodSymbol Callee { get; }

    public ISymbol Caller { get; }

    public bool Guarded { get; }
}

/// <summary>A delegate handed to a helper method of the compilation, as its parameter number <see cref="Parameter"/>.</summary>
internal readonly struct DelegateUse
{
    public DelegateUse(IMethodSymbol? helper, int parameter)
    {
        Helper = helper;
        Parameter = parameter;
    }

    /// <summary>A use that is not an argument of a helper of the compilation (a framework call, a variable, an event).</summary>
    public static DelegateUse Unknown => new(null, -1);

    public IMethodSymbol? Helper { get; }

    public int Parameter { get; }
}

/// <summary>
/// What one compilation says about consent, gathered by concurrent operation callbacks and read once at
/// compilation end: the sites to judge, and the compilation-wide facts that excuse them.
/// </summary>
internal sealed class ConsentFacts
{
    private int _consentHandlerRegistered;
    private int _consentHandledSomewhere;
    private int _callbackPresent;

    public ConsentFacts(FrameworkConsentHandlers handlers, ConsentEntryPoints entries)
    {
        Handlers = handlers;
        Entries = entries;
    }

    /// <summary>Consent handled at the framework level (exception handlers, middleware, filters).</summary>
    public FrameworkConsentHandlers Handlers { get; }

    /// <summary>Who runs each entry point, so the right framework-level handler is asked.</summary>
    public ConsentEntryPoints Entries { get; }

    public ConcurrentBag<TokenRequestSite> TokenRequests { get; } = new();

    /// <summary><c>With&lt;P&gt;Token</c> of user-federation providers: location and provider.</summary>
    public ConcurrentBag<KeyValuePair<Location, string>> Wirings { get; } = new();

    /// <summary>User-federation registrations: <c>AddUserFederation</c> on the builder.</summary>
    public ConcurrentBag<Location> FederationRegistrations { get; } = new();

    public ConcurrentBag<CallSite> Calls { get; } = new();

    /// <summary>Methods of the compilation used as delegates (method groups): entry points whatever else calls them.</summary>
    public ConcurrentDictionary<ISymbol, byte> DelegateTargets { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Endpoint handlers (lambdas or methods) mapped with <c>WithIdentityGuardConsent()</c>: consent is handled for them.</summary>
    public ConcurrentDictionary<ISymbol, byte> GuardedEntries { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Lambdas handed to a helper method of the compilation.</summary>
    public ConcurrentDictionary<ISymbol, DelegateUse> HelperArguments { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>For each method used as a delegate, where each method group was handed.</summary>
    public ConcurrentDictionary<ISymbol, ConcurrentBag<DelegateUse>> DelegateUses { get; } = new(SymbolEqualityComparer.Default);

    public bool ConsentHandlerRegistered => Volatile.Read(ref _consentHandlerRegistered) != 0;

    public bool ConsentHandledSomewhere => Volatile.Read(ref _consentHandledSomewhere) != 0;

    public bool CallbackPresent => Volatile.Read(ref _callbackPresent) != 0;

    public void SetConsentHandlerRegistered() => Volatile.Write(ref _consentHandlerRegistered, 1);

    public void SetConsentHandledSomewhere() => Volatile.Write(ref _consentHandledSomewhere, 1);

    public void SetCallbackPresent() => Volatile.Write(ref _callbackPresent, 1);
}
