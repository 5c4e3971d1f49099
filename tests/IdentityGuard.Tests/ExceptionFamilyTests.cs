using System;
using System.Linq;
using IdentityGuard.Providers;
using Xunit;

namespace IdentityGuard.Tests;

/// <summary>Callers are told to catch <see cref="CredentialUnavailableException"/>: every runtime exception must be one.</summary>
public sealed class ExceptionFamilyTests
{
    [Fact]
    public void Every_public_runtime_exception_is_a_CredentialUnavailableException()
    {
        var exceptions = typeof(CredentialUnavailableException).Assembly.GetExportedTypes()
            .Where(type => typeof(Exception).IsAssignableFrom(type))
            .ToArray();

        Assert.Contains(typeof(IdentityGuard.Vault.GrantUnavailableException), exceptions);
        Assert.Contains(typeof(IdentityGuard.Workload.WorkloadAccessTokenException), exceptions);
        Assert.All(exceptions, type => Assert.True(typeof(CredentialUnavailableException).IsAssignableFrom(type), $"{type.FullName} is outside the family"));
    }
}
