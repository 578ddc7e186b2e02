using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RootCx.Vault.SampleHost.Tests;

/// <summary>
/// HTTP/1.1 written by hand to the test server on 127.0.0.1, for what HttpClient refuses to send: broken framing, a body
/// that stops half-way, a client that hangs up. Every read gives up after <see cref="Patience"/>.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TcpClient _client = new();

    private RawHttpConnection()
    {
    }

    /// <summary>Connects to the port of <paramref name="server"/> on the loopback address, whatever its host says.</summary>
    public static async Task<RawHttpConnection> OpenAsync(Uri server)
    {
        var connection = new RawHttpConnection();
        await connection._client.ConnectAsync(IPAddress.Loopback, server.Port);
        return connection;
    }

    public async Task SendAsync(string text) => await _client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Reads until the server closes the connection (send <c>Connection: close</c>), then parses the response.</summary>
    public async Task<RawHttpResponse> ReadResponseAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var received = new MemoryStream();
        await _client.GetStream().CopyToAsync(received, timeout.Token);
        return RawHttpResponse.Parse(received.ToArray());
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>A response as read off the wire: status, headers (names ignoring case) and the body, de-chunked.</summary>
internal sealed record RawHttpResponse(int StatusCode, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public static RawHttpResponse Parse(byte[] response)
    {
        int end = response.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.That(end, Is.GreaterThan(0), $"no complete response head in: {Encoding.UTF8.GetString(response)}");
        string[] head = Encoding.ASCII.GetString(response, 0, end).Split("\r\n");
        var headers = head.Skip(1).Select(line => line.Split(':', 2)).ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        byte[] body = response[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out string? coding) && coding == "chunked")
        {
            body = Dechunk(body);
        }

        return new RawHttpResponse(int.Parse(head[0].Split(' ')[1], CultureInfo.InvariantCulture), headers, Encoding.UTF8.GetString(body));
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        using var body = new MemoryStream();
        int at = 0;
        while (true)
        {
            int lineEnd = chunked.AsSpan(at).IndexOf("\r\n"u8) + at;
            int size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, at, lineEnd - at), 16);
            if (size == 0)
            {
                return body.ToArray();
            }

            body.Write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
