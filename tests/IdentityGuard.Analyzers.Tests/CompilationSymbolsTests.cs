using IdentityGuard.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>The shared per-compilation symbol cache: one set of resolved tables per compilation, a fresh one for the next.</summary>
public class CompilationSymbolsTests
{
    [Fact]
    public void Every_family_gets_the_same_tables_for_one_compilation_and_new_ones_for_another()
    {
        var compilation = CSharpCompilation.Create("C", [CSharpSyntaxTree.ParseText("class C { }")], RealAssemblies.All);
        var symbols = CompilationSymbols.For(compilation);

        Assert.Same(symbols, CompilationSymbols.For(compilation));
        Assert.Same(symbols.AgentTools, CompilationSymbols.For(compilation).AgentTools);
        Assert.Same(symbols.TokenSources, CompilationSymbols.For(compilation).TokenSources);
        Assert.Same(symbols.Propagation, CompilationSymbols.For(compilation).Propagation);
        Assert.NotNull(symbols.Propagation);
        Assert.Same(compilation.GetTypeByMetadataName("System.Net.Http.HttpClientHandler"), symbols.Type("System.Net.Http.HttpClientHandler"));
        Assert.Null(symbols.Type("No.Such.Type"));

        // A new compilation (the IDE makes one per edit) must not see symbols of the old one.
        var next = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class D { }"));
        Assert.NotSame(symbols, CompilationSymbols.For(next));
        Assert.NotSame(symbols.AgentTools, CompilationSymbols.For(next).AgentTools);
    }

    [Fact]
    public void A_compilation_without_the_runtime_has_no_consent_symbols()
    {
        var compilation = CSharpCompilation.Create("C", [CSharpSyntaxTree.ParseText("class C { }")], Basic.Reference.Assemblies.Net80.References.All);
        Assert.Null(CompilationSymbols.For(compilation).Consent);
        Assert.Null(CompilationSymbols.For(compilation).Type("IdentityGuard.Consent.ConsentRequiredException"));
    }
}
