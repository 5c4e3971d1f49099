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
    public Task Every_way_the_rule_is_reached_after_its_cheap_syntax_test() => Verifier.AnalyzerAsync(Usings + """
        using static System.Net.Http.HttpClientHandler;

        class C
        {
            static readonly Func<HttpRequestMessage, System.Security.Cryptography.X509Certificates.X509Certificate2, System.Security.Cryptography.X509Certificates.X509Chain, SslPolicyErrors, bool> Field =
                {|IG0401:DangerousAcceptAnyServerCertificateValidator|};

            void M()
            {
        #pragma warning disable SYSLIB0014
                System.Net.ServicePointManager.ServerCertificateValidationCallback += {|IG0401:(sender, certificate, chain, errors) => true|};
        #pragma warning restore SYSLIB0014
                var handler = new HttpClientHandler();
                handler.ServerCertificateCustomValidationCallback = {|IG0401:(m, c, ch, e) => { return true; }|};
                var name = nameof(HttpClientHandler.DangerousAcceptAnyServerCertificateValidator);
                Func<int, bool> unrelated = x => true;
                Func<object, System.Security.Cryptography.X509Certificates.X509Certificate, System.Security.Cryptography.X509Certificates.X509Chain, SslPolicyErrors, bool> notACallback = (a, b, c, d) => true;
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
