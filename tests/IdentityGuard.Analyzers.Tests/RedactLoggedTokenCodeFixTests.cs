using System.Threading.Tasks;
using IdentityGuard.Analyzers.CodeFixes.TokenFlow;
using IdentityGuard.Analyzers.TokenFlow;
using Xunit;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>The IG0300 fix logs "[redacted]" in place of the value and keeps templates and code compiling.</summary>
public class RedactLoggedTokenCodeFixTests
{
    private static Task FixAsync(string source, string fixedSource) =>
        RuleVerifier<TokenFlowAnalyzer>.CodeFixAsync<RedactLoggedTokenCodeFix>(source, fixedSource);

    [Fact]
    public Task Template_argument_becomes_a_placeholder_string() => FixAsync(
        """
        using IdentityGuard.Tokens;
        using Microsoft.Extensions.Logging;
        class C
        {
            void M(ILogger logger, AccessToken token)
            {
                logger.LogInformation("Token {Token} for {User}", {|IG0300:token.RevealValue()|}, "alice");
            }
        }
        """,
        """
        using IdentityGuard.Tokens;
        using Microsoft.Extensions.Logging;
        class C
        {
            void M(ILogger logger, AccessToken token)
            {
                logger.LogInformation("Token {Token} for {User}", "[redacted]", "alice");
            }
        }
        """);

    [Fact]
    public Task Interpolation_hole_becomes_text() => FixAsync(
        """
        using System;
        using IdentityGuard.Tokens;
        class C
        {
            void M(AccessToken token)
            {
                var value = token.RevealValue();
                Console.WriteLine($"Calling with {{|IG0300:value|}} now");
            }
        }
        """,
        """
        using System;
        using IdentityGuard.Tokens;
        class C
        {
            void M(AccessToken token)
            {
                var value = token.RevealValue();
                Console.WriteLine($"Calling with [redacted] now");
            }
        }
        """);

    [Fact]
    public Task Concatenation_operand_is_replaced() => FixAsync(
        """
        using System;
        using IdentityGuard.Tokens;
        class C
        {
            void M(ApiKey key)
            {
                throw new InvalidOperationException("Rejected key " + {|IG0300:key.RevealValue()|});
            }
        }
        """,
        """
        using System;
        using IdentityGuard.Tokens;
        class C
        {
            void M(ApiKey key)
            {
                throw new InvalidOperationException("Rejected key " + "[redacted]");
            }
        }
        """);
}
