using System;

namespace IdentityGuard.Demo;

/// <summary>
/// A user the demo authorization endpoint can sign in without any login page.
/// </summary>
public sealed class DemoUser
{
    /// <summary>Creates a user.</summary>
    /// <param name="subject">The stable subject identifier (<c>sub</c>); a request selects the user with <c>login_hint</c>.</param>
    /// <param name="name">The display name (<c>name</c> claim).</param>
    public DemoUser(string subject, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Subject = subject;
        Name = name;
    }

    /// <summary>The subject identifier.</summary>
    public string Subject { get; }

    /// <summary>The display name.</summary>
    public string Name { get; }
}
