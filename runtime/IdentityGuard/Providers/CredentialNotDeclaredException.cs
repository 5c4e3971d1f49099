using System;

namespace IdentityGuard.Providers;

/// <summary>
/// The code running (an MCP tool, say) asked for a credential it did not declare, so none was handed out: no token
/// request, no vault read, no HTTP call. The message names who asked, the provider, and the declaration that would
/// permit it; never a secret.
/// </summary>
public sealed class CredentialNotDeclaredException : CredentialUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public CredentialNotDeclaredException()
        : this("A credential was asked for that the running code did not declare; none was handed out.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CredentialNotDeclaredException(string message)
        : base(message)
    {
        Holder = string.Empty;
        MissingDeclaration = string.Empty;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public CredentialNotDeclaredException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Holder = string.Empty;
        MissingDeclaration = string.Empty;
    }

    /// <summary>Creates the exception for <paramref name="holder"/>'s use of <paramref name="provider"/>.</summary>
    /// <param name="provider">The provider whose credential was refused.</param>
    /// <param name="holder">Who asked, e.g. <c>MCP tool 'get_client_notes'</c>.</param>
    /// <param name="missingDeclaration">The declaration that would permit it, e.g. <c>[ActsWith&lt;CrmScopes&gt;(CrmScopes.NotesWrite)]</c>.</param>
    /// <param name="detail">Why, in a sentence, e.g. which scopes were asked for.</param>
    public CredentialNotDeclaredException(string provider, string holder, string missingDeclaration, string detail)
        : base(provider, $"{holder} did not declare this use of it ({detail}); nothing was requested or sent. Declare {missingDeclaration} on it.")
    {
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(missingDeclaration);
        Holder = holder;
        MissingDeclaration = missingDeclaration;
    }

    /// <summary>Who asked for the credential, e.g. <c>MCP tool 'get_client_notes'</c>; empty when unknown.</summary>
    public string Holder { get; }

    /// <summary>The declaration that would permit the use; empty when unknown.</summary>
    public string MissingDeclaration { get; }
}
