using System;
using IdentityGuard.Federation;
using IdentityGuard.Workload;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityGuard.AspNetCore;

/// <summary>Binds each authenticated request to its user for user-federation providers.</summary>
public static class WorkloadContextMiddlewareExtensions
{
    /// <summary>
    /// For every request the IdentityGuard scheme authenticated, issues a workload access token for the verified
    /// caller and makes it the <see cref="WorkloadContext"/> for the rest of the request, so generated accessors
    /// and Refit clients of user-federation providers act for that user and no other. Place it after
    /// <c>UseAuthentication</c>.
    /// </summary>
    public static IApplicationBuilder UseIdentityGuardWorkloadContext(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            if (context.GetVerifiedCaller() is not { } caller)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            // One token per request. The issued object carries the principal it proves, so the vault calls of this
            // request check only its expiry and never decrypt it.
            var identity = context.RequestServices.GetRequiredService<WorkloadIdentity>();
            using (WorkloadContext.Use(identity.IssueForVerifiedCaller(caller)))
            {
                await next(context).ConfigureAwait(false);
            }
        });
    }
}
