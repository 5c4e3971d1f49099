using System;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using IdentityGuard.Mcp.Http;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace IdentityGuard.Mcp.Tests;

/// <summary>How the endpoint gate finds the called tool before the SDK reads the request: bounded, and only the fields it needs.</summary>
public sealed class EndpointGateTests
{
    [Fact]
    public async Task The_tool_name_comes_from_method_and_params_name_only()
    {
        var body = """{"jsonrpc":"2.0","id":7,"params":{"arguments":{"name":"decoy","deep":[{"name":"x"}]},"name":"flag_client"},"method":"tools/call"}""";
        var request = Post(body);

        Assert.Equal("flag_client", await McpEndpointGate.CalledToolAsync(request));

        // The SDK reads the body after the gate: it is back at its start.
        Assert.Equal(body, await new StreamReader(request.Body).ReadToEndAsync());
    }

    [Fact]
    public void A_repeated_property_counts_as_the_serializer_counts_it()
    {
        Assert.Equal("flag_client", McpEndpointGate.ToolName("""{"method":"tools/call","params":{"name":"get_client_notes"},"params":{"name":"flag_client"}}"""u8));
        Assert.Null(McpEndpointGate.ToolName("""{"method":"tools/call","params":{"name":"flag_client"},"method":"tools/list"}"""u8));
    }

    [Fact]
    public async Task Other_messages_and_bodies_over_the_cap_are_left_to_the_pipeline_check()
    {
        Assert.Null(await McpEndpointGate.CalledToolAsync(Post("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""")));
        Assert.Null(await McpEndpointGate.CalledToolAsync(Post("""[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"flag_client"}}]""")));
        Assert.Null(await McpEndpointGate.CalledToolAsync(Post("not json")));

        var padding = new string(' ', McpEndpointGate.MaxInspectedBody);
        var large = Post("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"flag_client"}}""" + padding, sendLength: false);
        Assert.Null(await McpEndpointGate.CalledToolAsync(large));
        Assert.Equal(0, large.Body.Position);
    }

    [Fact]
    public async Task With_the_standard_headers_the_body_is_not_read()
    {
        var request = Post("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"flag_client"}}""");
        request.Headers["MCP-Protocol-Version"] = "2026-07-28";
        request.Headers["Mcp-Method"] = "tools/call";
        request.Headers["Mcp-Name"] = "=?base64?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("flag_client")) + "?=";
        var body = new CountingStream(request.Body);
        request.Body = body;

        Assert.Equal("flag_client", await McpEndpointGate.CalledToolAsync(request));
        Assert.Equal(0, body.Reads);
    }

    private static HttpRequest Post(string body, bool sendLength = true)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(bytes);
        if (sendLength)
        {
            context.Request.ContentLength = bytes.Length;
        }

        return context.Request;
    }

    private sealed class CountingStream(Stream inner) : MemoryStream
    {
        public int Reads { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            return inner.Read(buffer, offset, count);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, System.Threading.CancellationToken cancellationToken = default)
        {
            Reads++;
            return inner.ReadAsync(buffer, cancellationToken);
        }
    }
}
