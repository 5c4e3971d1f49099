using System.Threading.Tasks;
using Xunit;
using Verifier = IdentityGuard.Analyzers.Tests.RuleVerifier<IdentityGuard.Analyzers.Validation.DisabledCertificateValidationAnalyzer>;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>IG0401: callbacks that trust any certificate; callbacks that look at the errors are fine.</summary>
public class CertificateValidationTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Net.Http;
        using System.Net.Security;

        """;

    [Fact]
    public Task Always_true_callbacks_and_the_accept_any_validator() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            void M(Stream stream)
            {
                var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = {|IG0401:(message, certificate, chain, errors) => true|} };
                handler.ServerCertificateCustomValidationCallback = {|IG0401:delegate { return true; }|};
                handler.ServerCertificateCustomValidationCallback = {|IG0401:HttpClientHandler.DangerousAcceptAnyServerCertificateValidator|};
                var sockets = new SocketsHttpHandler
                {
                    SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = {|IG0401:(sender, certificate, chain, errors) => true|} },
                };
                var ssl = new SslStream(stream, false, {|IG0401:(sender, certificate, chain, errors) => true|});
            }
        }
        """);

    [Fact]
    public Task Callbacks_that_inspect_the_certificate_are_fine() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            void M(string pinnedThumbprint)
            {
                var handler = new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
                        errors == SslPolicyErrors.None || certificate?.Thumbprint == pinnedThumbprint,
                };
                var sockets = new SocketsHttpHandler();
                sockets.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                {
                    if (errors != SslPolicyErrors.None)
                    {
                        throw new InvalidOperationException("Untrusted certificate.");
                    }

                    return true;
                };
            }
        }
        """);
}
