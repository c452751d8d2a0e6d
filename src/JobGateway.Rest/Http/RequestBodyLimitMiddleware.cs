using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace JobGateway.Rest.Http;

/// <summary>
/// Caps request bodies per endpoint (<see cref="IRequestSizeLimitMetadata"/>, else the gateway default)
/// before anything reads them: a declared oversize body is refused with 413 at once; an undeclared
/// (chunked) one fails with 413 as soon as it passes the cap, on Kestrel and on any other server.
/// An endpoint whose metadata says no limit (null) enforces its own cap, in its own dialect.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, long defaultLimit)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
        if (metadata is { MaxRequestBodySize: null })
        {
            return next(context);
        }

        var limit = metadata?.MaxRequestBodySize ?? defaultLimit;
        if (context.Request.ContentLength > limit)
        {
            return context.WriteErrorAsync(TooLarge(limit));
        }

        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }
        else if (context.Request.ContentLength is null)
        {
            context.Request.Body = new LimitedReadStream(context.Request.Body, limit);
        }

        return next(context);
    }

    internal static GatewayError TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Payload Too Large", $"The request body is larger than the limit of {limit} bytes.", "body_too_large");

    private sealed class LimitedReadStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > limit
                ? throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge)
                : read;
        }
    }
}
