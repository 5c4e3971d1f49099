using System;
using System.Collections.Generic;

namespace IdentityGuard.Demo;

/// <summary>
/// A scope the <see cref="DemoIdentityProvider"/> knows, with the resources (audiences) a token granted that scope is for.
/// </summary>
public sealed class DemoScope
{
    /// <summary>Creates a scope.</summary>
    /// <param name="name">The scope name, e.g. <c>sales.read</c>.</param>
    /// <param name="resources">The resources (<c>aud</c> values) tokens carrying this scope are issued for.</param>
    public DemoScope(string name, params string[] resources)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(resources);
        Name = name;
        Resources = new List<string>(resources);
    }

    /// <summary>The scope name.</summary>
    public string Name { get; }

    /// <summary>The resources (audiences) added to a token when this scope is granted.</summary>
    public IList<string> Resources { get; }
}
