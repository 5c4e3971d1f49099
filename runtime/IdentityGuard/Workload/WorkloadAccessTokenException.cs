using System;

namespace IdentityGuard.Workload;

/// <summary>Why a workload access token was refused.</summary>
public enum WorkloadAccessTokenFailure
{
    /// <summary>The value is not a workload access token at all.</summary>
    Malformed,

    /// <summary>
    /// The token could not be decrypted: it was altered, was issued for another workload (whose protection keys
    /// differ by design, so the two cases cannot be told apart), or its protection key is unknown here.
    /// </summary>
    Invalid,

    /// <summary>The token was valid once but has expired.</summary>
    Expired,

    /// <summary>The token decrypted but names another workload.</summary>
    WrongWorkload,
}

/// <summary>
/// A workload access token was refused, so nothing was done with it. The message states the reason, never the
/// token value.
/// </summary>
public sealed class WorkloadAccessTokenException : IdentityGuard.Providers.CredentialUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public WorkloadAccessTokenException()
        : this(WorkloadAccessTokenFailure.Invalid, "The workload access token was refused.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public WorkloadAccessTokenException(string message)
        : this(WorkloadAccessTokenFailure.Invalid, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public WorkloadAccessTokenException(string message, Exception? innerException)
        : this(WorkloadAccessTokenFailure.Invalid, message, innerException)
    {
    }

    /// <summary>Creates the exception with a reason.</summary>
    public WorkloadAccessTokenException(WorkloadAccessTokenFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>Why the token was refused.</summary>
    public WorkloadAccessTokenFailure Failure { get; }
}
