namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// The token APIs the scope rules read (MSAL, Microsoft.Identity.Web, Duende.IdentityModel, IdentityGuard's
/// string-based APIs), in their real namespaces; compiled together with <see cref="Stubs.All"/>.
/// </summary>
internal static class ScopeStubs
{
    public const string All = """
        #nullable enable
        namespace Microsoft.Identity.Client
        {
            using System.Collections.Generic;

            public interface IAccount { }
            public sealed class UserAssertion { public UserAssertion(string assertion) { } }

            public abstract class AbstractAcquireTokenParameterBuilder<T>
            {
                public System.Threading.Tasks.Task<AuthenticationResult> ExecuteAsync() => System.Threading.Tasks.Task.FromResult(new AuthenticationResult());
            }

            public sealed class AcquireTokenInteractiveParameterBuilder : AbstractAcquireTokenParameterBuilder<AcquireTokenInteractiveParameterBuilder>
            {
                public AcquireTokenInteractiveParameterBuilder WithExtraScopesToConsent(IEnumerable<string> scopes) => this;
            }

            public sealed class AcquireTokenSilentParameterBuilder : AbstractAcquireTokenParameterBuilder<AcquireTokenSilentParameterBuilder> { }
            public sealed class AcquireTokenForClientParameterBuilder : AbstractAcquireTokenParameterBuilder<AcquireTokenForClientParameterBuilder> { }
            public sealed class AcquireTokenOnBehalfOfParameterBuilder : AbstractAcquireTokenParameterBuilder<AcquireTokenOnBehalfOfParameterBuilder> { }

            public interface IClientApplicationBase
            {
                AcquireTokenSilentParameterBuilder AcquireTokenSilent(IEnumerable<string> scopes, IAccount account);
            }

            public interface IPublicClientApplication : IClientApplicationBase
            {
                AcquireTokenInteractiveParameterBuilder AcquireTokenInteractive(IEnumerable<string> scopes);
            }

            public interface IConfidentialClientApplication : IClientApplicationBase
            {
                AcquireTokenForClientParameterBuilder AcquireTokenForClient(IEnumerable<string> scopes);
                AcquireTokenOnBehalfOfParameterBuilder AcquireTokenOnBehalfOf(IEnumerable<string> scopes, UserAssertion userAssertion);
            }
        }

        namespace Microsoft.Identity.Web
        {
            public interface ITokenAcquisition
            {
                System.Threading.Tasks.Task<string> GetAccessTokenForUserAsync(System.Collections.Generic.IEnumerable<string> scopes, string? authenticationScheme = null, string? tenantId = null);
                System.Threading.Tasks.Task<string> GetAccessTokenForAppAsync(string scope, string? authenticationScheme = null, string? tenant = null);
            }
        }

        namespace Duende.IdentityModel.Client
        {
            public class TokenExchangeTokenRequest : ProtocolRequest
            {
                public string? SubjectToken { get; set; }
                public string? Scope { get; set; }
            }

            public class RequestUrl
            {
                public RequestUrl(string baseUrl) { }
            }

            public static class RequestUrlExtensions
            {
                public static string CreateAuthorizeUrl(this RequestUrl request, string clientId, string responseType, string? scope = null, string? redirectUri = null) => string.Empty;
            }
        }

        namespace IdentityGuard.Workload
        {
            public sealed class WorkloadAccessToken { }
        }

        namespace IdentityGuard.Federation
        {
            public sealed class UserFederation
            {
                public System.Threading.Tasks.Task<IdentityGuard.Tokens.AccessToken> GetAccessTokenAsync(
                    IdentityGuard.Workload.WorkloadAccessToken workloadAccessToken,
                    string provider,
                    System.Collections.Generic.IReadOnlyCollection<string> scopes,
                    object? requestOptions = null,
                    System.Threading.CancellationToken cancellationToken = default) => null!;

                public System.Threading.Tasks.Task<object> RequestConsentAsync(
                    IdentityGuard.Workload.WorkloadAccessToken workloadAccessToken,
                    string provider,
                    System.Collections.Generic.IReadOnlyCollection<string> scopes,
                    object? requestOptions = null,
                    System.Threading.CancellationToken cancellationToken = default) => null!;
            }
        }
        """;
}
