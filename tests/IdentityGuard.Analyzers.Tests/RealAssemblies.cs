using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// The real assemblies of the libraries the rules recognize, for compilations under test: .NET 10 reference
/// assemblies, the ASP.NET Core shared framework this test process runs on, MSAL, Duende.IdentityModel, Refit, the
/// IdentityGuard runtime and its ASP.NET Core and MCP integrations, Microsoft.Extensions.AI, the MCP SDK, Semantic
/// Kernel, the Azure SDK (Azure.Identity, Azure.Storage.Blobs), ASP.NET Core's JwtBearer, OpenID Connect and Google
/// handlers, and Microsoft.Identity.Web. A hand-written stand-in can put a member in the wrong class and hide a miss; these cannot.
/// </summary>
internal static class RealAssemblies
{
    private static readonly Lazy<IReadOnlyList<MetadataReference>> Lazy = new(Load);

    public static IReadOnlyList<MetadataReference> All => Lazy.Value;

    private static List<MetadataReference> Load()
    {
        var references = new List<MetadataReference>(Basic.Reference.Assemblies.Net100.References.All);

        // Every assembly of the ASP.NET Core shared framework (it includes Microsoft.Extensions.*), found beside the one
        // that declares HttpContext.
        var aspNetCore = Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Http.HttpContext).Assembly.Location)!;
        references.AddRange(Directory.GetFiles(aspNetCore, "*.dll")
            .Where(path => Path.GetFileName(path).StartsWith("Microsoft.", StringComparison.Ordinal))
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => MetadataReference.CreateFromFile(path)));

        foreach (var location in new[]
        {
            typeof(Duende.IdentityModel.Client.TokenResponse),
            typeof(Microsoft.Identity.Client.AuthenticationResult),
            typeof(Microsoft.IdentityModel.Abstractions.IIdentityLogger),
            typeof(Refit.ApiRequestException),
            typeof(IdentityGuard.Tokens.AccessToken),
            typeof(Microsoft.IdentityModel.Tokens.TokenValidationParameters),
            typeof(Microsoft.IdentityModel.JsonWebTokens.JsonWebToken),

            // Agent frameworks: Semantic Kernel, the MCP SDK (core, hosting, ASP.NET Core), Microsoft.Extensions.AI, and
            // IdentityGuard's own ASP.NET Core and MCP integrations.
            typeof(Microsoft.SemanticKernel.Kernel),
            typeof(Microsoft.SemanticKernel.KernelFunctionFactory),
            typeof(Microsoft.SemanticKernel.IFunctionInvocationFilter),
            typeof(ModelContextProtocol.Server.McpServerToolAttribute),
            typeof(Microsoft.Extensions.DependencyInjection.McpServerBuilderExtensions),
            typeof(Microsoft.Extensions.DependencyInjection.HttpMcpServerBuilderExtensions),
            typeof(Microsoft.Extensions.AI.AIFunctionFactory),
            typeof(Microsoft.Extensions.AI.FunctionInvokingChatClient),
            typeof(IdentityGuard.AspNetCore.ConsentRequiredResponseExtensions),
            typeof(Microsoft.Extensions.DependencyInjection.IdentityGuardBuilderMcpExtensions),

            // Libraries agent code hands credentials, scopes and validation switches to: the Azure SDK, ASP.NET Core's
            // JwtBearer, OpenID Connect and Google handlers, Microsoft.Identity.Web, System.ClientModel.
            typeof(Microsoft.Extensions.AI.AIFunction),
            typeof(Azure.Core.TokenCredential),
            typeof(Azure.Identity.ClientSecretCredential),
            typeof(Azure.Storage.StorageSharedKeyCredential),
            typeof(Azure.Storage.Blobs.BlobServiceClient),
            typeof(System.ClientModel.ApiKeyCredential),
            typeof(Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions),
            typeof(Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions),
            typeof(Microsoft.AspNetCore.Authentication.Google.GoogleOptions),
            typeof(Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration),
            typeof(Microsoft.IdentityModel.Protocols.ConfigurationManager<>),
            typeof(Microsoft.Identity.Web.ITokenAcquisition),
            typeof(Microsoft.Identity.Web.TokenAcquisitionOptions),
            typeof(Microsoft.Identity.Web.MicrosoftIdentityWebApiAuthenticationBuilderExtensions),
            typeof(Microsoft.Identity.Abstractions.IDownstreamApi),
            typeof(System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler),
        }.Select(type => type.Assembly.Location).Distinct(StringComparer.Ordinal))
        {
            references.Add(MetadataReference.CreateFromFile(location));
        }

        return references;
    }
}
