using System;

namespace IdentityGuard.Mcp.Requirements;

/// <summary>
/// Declares a manifest API-key provider whose key a tool uses (through its generated accessor or
/// <c>With&lt;Provider&gt;ApiKey</c>), e.g. <c>[ActsWithApiKey("Weather")]</c>. A tool that names a provider the
/// manifest does not declare as an API-key provider stops the host at start-up. Without it, the tool gets no key.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class ActsWithApiKeyAttribute : Attribute
{
    /// <summary>Declares the API-key provider named <paramref name="provider"/> in the manifest.</summary>
    /// <param name="provider">The provider's name under <c>providers</c> in <c>identityguard.json</c>.</param>
    public ActsWithApiKeyAttribute(string provider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        Provider = provider;
    }

    /// <summary>The provider's name in the manifest.</summary>
    public string Provider { get; }
}
