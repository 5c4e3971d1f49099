using System.Threading.Tasks;
using Xunit;
using Verifier = IdentityGuard.Analyzers.Tests.RealVerifier<IdentityGuard.Analyzers.TokenFlow.TokenFlowAnalyzer>;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// IG0300 through one private or internal helper of the same compilation: each helper is summarized once (which of
/// its parameters reach a log sink) and the summary is applied at every call that passes it a token value.
/// </summary>
public class HelperMethodFlowTests
{
    private const string Usings = """
        using System;
        using IdentityGuard.Tokens;
        using Microsoft.Extensions.Logging;

        """;

    [Fact]
    public Task Token_passed_to_a_helper_that_logs_its_parameter() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            private readonly ILogger _logger = null!;

            void M(AccessToken token, ApiKey key)
            {
                Log({|IG0300:token.RevealValue()|});
                var value = key.RevealValue();
                Trace("key", {|IG0300:value|});
            }

            private void Log(string s) => _logger.LogInformation(s);

            internal static void Trace(string label, string text) => Console.WriteLine(label + "=" + text);
        }
        """);

    [Fact]
    public Task Helpers_that_do_not_log_the_value_or_are_not_private_are_quiet() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            private readonly ILogger _logger = null!;

            void M(AccessToken token)
            {
                LogLength(token.RevealValue());
                LogLabel("crm", token.RevealValue());
                Send(token.RevealValue());
                Log("no token here");
                PublicLog(token.RevealValue());
            }

            private void Log(string s) => _logger.LogInformation(s);

            private void LogLength(string s) => _logger.LogInformation("Length {Length}", s.Length);

            private void LogLabel(string label, string secret) => _logger.LogInformation("Calling {Label}", label);

            private static void Send(string s) { }

            // Public and overridable: another assembly may call it with anything; its callers are not followed.
            public virtual void PublicLog(string s) => _logger.LogInformation(s);
        }
        """);
}
