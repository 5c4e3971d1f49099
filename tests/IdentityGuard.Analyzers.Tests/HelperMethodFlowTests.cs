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

    /// <summary>A helper that returns text built from its parameter passes the token on: the call's result is tainted.</summary>
    [Fact]
    public Task Token_returned_through_a_helper_reaches_the_sink_after_the_call() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            private readonly ILogger _logger = null!;

            void M(AccessToken token)
            {
                _logger.LogInformation(Bearer({|IG0300:token.RevealValue()|}));
                var header = Header("crm", token.RevealValue());
                Console.WriteLine({|IG0300:header|});
                _logger.LogInformation(Formats.Describe({|IG0300:token.RevealValue()|}));
            }

            private static string Bearer(string value) => "Bearer " + value;

            private string Header(string name, string value)
            {
                var line = $"{name}: {value}";
                return line.Trim();
            }
        }

        public static class Formats
        {
            public static string Describe(string value) => string.Format("token {0}", value);
        }
        """);

    /// <summary>Helpers that hash, measure or drop the value, and overridable ones, return nothing tainted.</summary>
    [Fact]
    public Task Helpers_that_do_not_return_the_token_are_quiet() => Verifier.AnalyzerAsync(Usings + """
        class C
        {
            private readonly ILogger _logger = null!;

            void M(AccessToken token)
            {
                _logger.LogInformation(Fingerprint(token.RevealValue()));
                _logger.LogInformation(Label("crm", token.RevealValue()));
                _logger.LogInformation("{Length}", Length(token.RevealValue()));
                _logger.LogInformation(Describe(token.RevealValue()));
            }

            private static string Fingerprint(string value) =>
                Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)))[..12];

            private static string Label(string name, string value) => name.ToUpperInvariant();

            private static int Length(string value) => value.Length;

            protected virtual string Describe(string value) => value;
        }
        """);
}
