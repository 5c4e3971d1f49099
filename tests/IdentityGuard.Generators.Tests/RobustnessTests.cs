using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using IdentityGuard.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace IdentityGuard.Generators.Tests;

/// <summary>
/// The generator must never throw: a generator exception surfaces only as CS8785 and silently drops all generated
/// code. Every truncation and thousands of seeded random mutations of a valid manifest must give diagnostics, not
/// exceptions, and whenever no error is reported the generated code must compile.
/// </summary>
public sealed class RobustnessTests
{
    private const int MutationCount = 3000;

    // Compiling is the slow part, so only this many error-free variants are compiled per test.
    private const int CompileBudget = 25;

    private static readonly byte[] InterestingBytes = Encoding.UTF8.GetBytes("{}[]\":,\\ \n\t0123456789-+.eEtrufalsn/\u0000")
        .Concat(new byte[] { 0xFF, 0xC3, 0xE2, 0x80, 0xA8 })
        .ToArray();

    [Fact]
    public void Every_prefix_of_a_valid_manifest_yields_diagnostics_not_exceptions()
    {
        var manifest = SnapshotTests.RepresentativeManifest;
        var checker = new OutcomeChecker();
        for (var length = 0; length <= manifest.Length; length++)
        {
            checker.Check(manifest.Substring(0, length));
        }
    }

    [Fact]
    public void Random_mutations_of_a_valid_manifest_never_make_the_generator_throw()
    {
        var original = Encoding.UTF8.GetBytes(SnapshotTests.RepresentativeManifest);
        var random = new Random(20240611);
        var checker = new OutcomeChecker();
        for (var i = 0; i < MutationCount; i++)
        {
            var bytes = original;
            var mutations = 1 + random.Next(3);
            for (var m = 0; m < mutations; m++)
            {
                bytes = Mutate(bytes, random);
            }

            checker.Check(Encoding.UTF8.GetString(bytes));
        }

        // Mutations inside string values often leave a valid manifest: those must produce compiling code.
        Assert.True(checker.Compiled > 0, "No mutation produced an error-free manifest, so no generated code was compiled.");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("{")]
    [InlineData("{\"workload\":")]
    [InlineData("{\"workload\": \"a\", \"providers\": []}")]
    [InlineData("{\"workload\": \"a\", \"providers\": {\"P\": null}}")]
    [InlineData("{\"workload\": \"a\", \"providers\": {\"P\": {\"kind\": \"oauth2\", \"scopes\": []}}}")]
    [InlineData("{\"workload\": \"a\", \"providers\": {\"P\": {\"kind\": \"apiKey\", \"apiKey\": {}}}}")]
    [InlineData("{\"workload\": \"\\ud800\", \"providers\": {\"\\u0041\": {\"kind\": \"apiKey\", \"header\": \"h\", \"apiKey\": {\"environment\": \"\\udfff\"}}}}")]
    [InlineData("{\"workload\": \"a\", \"providers\": {\"P\": {\"kind\": \"oauth2\", \"flow\": \"m2m\", \"clientId\": \"c\", \"tokenEndpoint\": \"https://\"}}}")]
    [InlineData("{\"workload\": \"a\", \"providers\": {\"P\": {\"kind\": \"oauth2\", \"flow\": \"m2m\", \"clientId\": \"c\", \"tokenEndpoint\": \"http://[::1\"}}}")]
    [InlineData("{\"workload\": 1e999999, \"x\": -0.0e-0}")]
    public void Edge_cases_yield_diagnostics_not_exceptions(string manifest)
    {
        new OutcomeChecker().Check(manifest);
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        var manifest = "{\"workload\": " + new string('[', 100_000) + new string(']', 100_000) + "}";
        var outcome = GeneratorHarness.Run(manifest);
        Assert.Null(outcome.Result.Exception);
        Assert.Equal("IG1001", Assert.Single(outcome.Diagnostics).Id);
    }

    private static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = new List<byte>(input);
        if (bytes.Count == 0)
        {
            return new[] { InterestingBytes[random.Next(InterestingBytes.Length)] };
        }

        var position = random.Next(bytes.Count);
        switch (random.Next(5))
        {
            case 0:
                bytes[position] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                bytes.RemoveRange(position, Math.Min(1 + random.Next(8), bytes.Count - position));
                break;
            case 2:
                bytes.Insert(position, InterestingBytes[random.Next(InterestingBytes.Length)]);
                break;
            case 3:
                var start = random.Next(bytes.Count);
                var length = Math.Min(1 + random.Next(40), bytes.Count - start);
                bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(start, length));
                break;
            default:
                bytes[position] = InterestingBytes[random.Next(InterestingBytes.Length)];
                break;
        }

        return bytes.ToArray();
    }

    private sealed class OutcomeChecker
    {
        private int _compiled;

        public int Compiled => _compiled;

        public void Check(string manifest)
        {
            var outcome = GeneratorHarness.Run(manifest, SnapshotTests.BuildProperties);
            Assert.True(outcome.Result.Exception is null, $"The generator threw {outcome.Result.Exception} for:\n{manifest}");
            Assert.DoesNotContain(outcome.DriverDiagnostics, d => d.Id == "CS8785");
            Assert.All(outcome.Diagnostics, d => Assert.StartsWith("IG10", d.Id, StringComparison.Ordinal));

            if (_compiled < CompileBudget && outcome.Sources.Length > 0 &&
                !outcome.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                _compiled++;
                var errors = outcome.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                Assert.True(errors.Count == 0, $"Generated code does not compile for:\n{manifest}\n{string.Join("\n", errors)}");
            }
        }
    }
}
