using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using IdentityGuard.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace IdentityGuard.Generators.Tests;

/// <summary>
/// The runtime types and members that exist only for generated code are hidden from IntelliSense
/// (<see cref="EditorBrowsableState.Never"/>): whatever the generator emits, every runtime symbol it uses is either
/// hidden or part of the API an application is meant to use.
/// </summary>
public sealed class GeneratedCodeInfrastructureTests
{
    /// <summary>Runtime types the generated code uses that application code uses too (the accessors return them).</summary>
    private static readonly HashSet<string> UserFacing =
    [
        "IdentityGuard.Tokens.AccessToken",
        "IdentityGuard.Tokens.ApiKey",
        "IdentityGuard.Manifest.ApiKeyPlacement", // ApiKey.Placement
    ];

    [Fact]
    public void Every_runtime_symbol_in_generated_code_is_hidden_or_meant_for_applications()
    {
        var outcome = GeneratorHarness.Run(SnapshotTests.RepresentativeManifest, SnapshotTests.BuildProperties);
        Assert.Empty(outcome.Diagnostics);
        var compilation = outcome.OutputCompilation;
        var generated = outcome.RunResult.GeneratedTrees;
        Assert.NotEmpty(generated);

        var used = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var tree in generated)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (model.GetSymbolInfo(node).Symbol is { } symbol and not INamespaceSymbol && IsRuntime(symbol))
                {
                    used.Add(symbol is IMethodSymbol { ReducedFrom: { } reduced } ? reduced : symbol.OriginalDefinition);
                }
            }
        }

        // The generator really reaches the plumbing (so this test is not vacuous).
        Assert.Contains(used, symbol => symbol.ToDisplayString() == "IdentityGuard.Providers.CredentialProviderRegistry");
        Assert.Contains(used, symbol => symbol.Name == "AddIdentityGuardRuntime");

        var visible = used
            .Where(symbol => !IsHidden(symbol) && !UserFacing.Contains(TypeOf(symbol).ToDisplayString()))

            // A static class named only to call one of its members: the member is what must be hidden (checked above).
            .Where(symbol => symbol is not INamedTypeSymbol { IsStatic: true })
            .Select(symbol => symbol.ToDisplayString())
            .Order()
            .ToList();
        Assert.True(visible.Count == 0, "Generated code uses runtime symbols that are neither [EditorBrowsable(Never)] nor listed as meant for applications:\n" + string.Join('\n', visible));
    }

    private static bool IsRuntime(ISymbol symbol) => symbol.ContainingAssembly?.Name == "IdentityGuard";

    private static INamedTypeSymbol TypeOf(ISymbol symbol) => symbol as INamedTypeSymbol ?? symbol.ContainingType;

    /// <summary>The symbol, or a type that contains it, is marked <c>[EditorBrowsable(EditorBrowsableState.Never)]</c>.</summary>
    private static bool IsHidden(ISymbol symbol)
    {
        for (var current = symbol; current is not null; current = current.ContainingType)
        {
            if (current.GetAttributes().Any(attribute =>
                    attribute.AttributeClass?.ToDisplayString() == typeof(EditorBrowsableAttribute).FullName &&
                    attribute.ConstructorArguments is [{ Value: (int)EditorBrowsableState.Never }]))
            {
                return true;
            }
        }

        return false;
    }
}
