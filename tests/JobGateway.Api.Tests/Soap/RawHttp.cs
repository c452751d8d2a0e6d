using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace JobGateway.Api.Tests.Soap;

/// <summary>
/// A bare HTTP/1.1 POST over a socket that keeps reading while it writes. A server that refuses a huge body
/// answers and closes before the body is sent; HttpClient then reports the broken pipe and drops the
/// answer, which is exactly the answer these tests are about.
/// </summary>
internal static class RawHttp
{
    public static async Task<SoapReply> PostAsync(Uri server, string path, string contentType, Stream body, bool chunked)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: {contentType}\r\n")
            .Append(chunked ? "Transfer-Encoding: chunked\r\n" : string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n"))
            .Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));

        var response = ReadResponseAsync(stream);
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while (!response.IsCompleted && (read = await body.ReadAsync(buffer)) > 0)
            {
                if (chunked)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(read.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
                }

                await stream.WriteAsync(buffer.AsMemory(0, read));
                if (chunked)
                {
                    await stream.WriteAsync("\r\n"u8.ToArray());
                }
            }

            if (chunked && !response.IsCompleted)
            {
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
            }
        }
        catch (IOException)
        {
            // The server stopped reading and closed: its answer is already on the way.
        }

        return await response.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task<SoapReply> ReadResponseAsync(NetworkStream stream)
    {
        using var received = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            received.Write(buffer, 0, read);
            if (TryParse(received.ToArray(), out var reply))
            {
                return reply;
            }
        }

        return TryParse(received.ToArray(), out var last) ? last : throw new IOException("The connection closed before a full response arrived.");
    }

    private static bool TryParse(byte[] data, out SoapReply reply)
    {
        reply = null!;
        var text = Encoding.UTF8.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var lines = text[..end].Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var length = headers.TryGetValue("Content-Length", out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : 0;
        var bodyBytes = data.Length - Encoding.UTF8.GetByteCount(text[..(end + 4)]);
        if (bodyBytes < length)
        {
            return false;
        }

        var status = (HttpStatusCode)int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        reply = new SoapReply(status, headers.GetValueOrDefault("Content-Type"), text[(end + 4)..]);
        return true;
    }
}
