using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace JobGateway.Soap.Asmx;

/// <summary>
/// A request body read asynchronously (Kestrel forbids synchronous reads, and XmlReader reads synchronously) into
/// a pooled buffer, never more than a cap: a declared length over the cap is refused before reading, and an
/// undeclared (chunked) one is cut off at the cap.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private byte[]? _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<RequestBody?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength;
        if (declared > maxBytes)
        {
            return null;
        }

        // A declared body fits as it is; an undeclared one starts at 4 KiB, and one byte over the cap is room enough
        // to see that it is too long.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(declared ?? 4096, maxBytes + 1L));
        var length = 0;
        try
        {
            // A declared length is the whole body (the server ends the body there), so once it is read no further
            // read is needed to see the end; an undeclared (chunked) one is read until the body says it has ended.
            while (length != declared)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, maxBytes + 1L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read;
                try
                {
                    read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                }
                catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    // The server's own per-request limit (Kestrel's, or a middleware's) fired first.
                    return null;
                }

                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    return null;
                }
            }

            var body = new RequestBody(buffer, length);
            buffer = null;
            return body;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The bytes; valid until this is disposed.</summary>
    public ReadOnlySpan<byte> Span => (_buffer ?? throw new ObjectDisposedException(nameof(RequestBody))).AsSpan(0, Length);

    /// <summary>A read-only stream over the body; valid until this is disposed.</summary>
    public MemoryStream AsStream() =>
        new(_buffer ?? throw new ObjectDisposedException(nameof(RequestBody)), 0, Length, writable: false);

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
