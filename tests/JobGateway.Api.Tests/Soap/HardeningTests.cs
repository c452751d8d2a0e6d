using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace JobGateway.Api.Tests.Soap;

/// <summary>Hostile bodies over a real socket: refused fast, with nothing stored.</summary>
public sealed class HardeningTests(KestrelGatewayFactory gateway) : IClassFixture<KestrelGatewayFactory>
{
    private const long FiftyMegabytes = 50L * 1024 * 1024;
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task BillionLaughs_IsRejectedFastAndStoresNothing()
    {
        var tenant = await gateway.CreateTenantAsync();
        var entities = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (var i = 1; i <= 9; i++)
        {
            entities.Append(CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");
        }

        var body = $"""<?xml version="1.0"?><!DOCTYPE soap:Envelope [{entities}]>""" + Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "&lol9;"))[38..];

        var (reply, elapsed) = await TimedAsync(() => SoapHttp.PostAsync(Client(), SoapHttp.T2APath, Envelopes.Soap11Type, body));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("<faultstring>The request contains a DTD; DTDs are not allowed.</faultstring>", reply.Body, StringComparison.Ordinal);
        Assert.True(elapsed < Fast, $"took {elapsed}");
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    [Fact]
    public async Task ExternalEntity_IsRejectedWithoutReadingTheFile()
    {
        var tenant = await gateway.CreateTenantAsync();
        var body = """<?xml version="1.0"?><!DOCTYPE soap:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>"""
            + Envelopes.Soap12(Envelopes.JobCreate(tenant.ApiKey, "&xxe;"))[38..];

        var (reply, elapsed) = await TimedAsync(() => SoapHttp.PostAsync(Client(), SoapHttp.T2APath, Envelopes.Soap12Type, body));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.DoesNotContain("root:", reply.Body, StringComparison.Ordinal);
        Assert.True(elapsed < Fast, $"took {elapsed}");
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BodyArrivingInSmallPieces_IsReadWhole_WithOrWithoutContentLength(bool chunked)
    {
        var tenant = await gateway.CreateTenantAsync();
        var envelope = Encoding.UTF8.GetBytes(Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "pieces")));

        var reply = await RawHttp.PostAsync(
            gateway.ServerAddress, SoapHttp.T2APath, Envelopes.Soap11Type, new TrickleStream(envelope, 7), chunked);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Contains("<job_id>", reply.Body, StringComparison.Ordinal);
        Assert.Equal(1, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    [Fact]
    public async Task FiftyMegabyteBody_WithContentLength_Is413FaultAndStoresNothing()
    {
        var tenant = await gateway.CreateTenantAsync();

        var (reply, elapsed) = await TimedAsync(() => RawHttp.PostAsync(
            gateway.ServerAddress, SoapHttp.T2APath, Envelopes.Soap11Type, new HugeEnvelopeStream(tenant.ApiKey, FiftyMegabytes), chunked: false));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal(Envelopes.Soap11Type, reply.ContentType);
        Assert.Contains("<faultstring>The request body is larger than 1048576 bytes.</faultstring>", reply.Body, StringComparison.Ordinal);
        Assert.True(elapsed < Fast, $"took {elapsed}");
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    [Fact]
    public async Task FiftyMegabyteBody_Chunked_Is413FaultAndStoresNothing()
    {
        var tenant = await gateway.CreateTenantAsync();

        var (reply, elapsed) = await TimedAsync(() => RawHttp.PostAsync(
            gateway.ServerAddress, SoapHttp.T2APath, Envelopes.Soap11Type, new HugeEnvelopeStream(tenant.ApiKey, FiftyMegabytes), chunked: true));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal(Envelopes.Soap11Type, reply.ContentType);
        Assert.Contains("<faultstring>The request body is larger than 1048576 bytes.</faultstring>", reply.Body, StringComparison.Ordinal);
        Assert.True(elapsed < Fast, $"took {elapsed}");
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    [Fact]
    public async Task FiftyMegabyteForm_Is413AndStoresNothing()
    {
        var tenant = await gateway.CreateTenantAsync();

        var (reply, elapsed) = await TimedAsync(() => RawHttp.PostAsync(
            gateway.ServerAddress, "/soap/t2a.asmx/job_create", "application/x-www-form-urlencoded", new HugeEnvelopeStream(tenant.ApiKey, FiftyMegabytes), chunked: true));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.True(elapsed < Fast, $"took {elapsed}");
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    [Fact]
    public async Task DeeplyNestedBody_IsRejectedAndStoresNothing()
    {
        var tenant = await gateway.CreateTenantAsync();
        var nested = string.Concat(Enumerable.Repeat("<a>", 10_000)) + string.Concat(Enumerable.Repeat("</a>", 10_000));
        var body = $"""<job_create xmlns="https://api.t2a.io/soap"><api_key>{tenant.ApiKey}</api_key><client>c</client><x>{nested}</x></job_create>""";

        var reply = await SoapHttp.PostAsync(Client(), SoapHttp.T2APath, Envelopes.Soap11Type, Envelopes.Soap11(body));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("<faultstring>The request nests elements deeper than 32 levels.</faultstring>", reply.Body, StringComparison.Ordinal);
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    private HttpClient Client() => new() { BaseAddress = gateway.ServerAddress };

    private static async Task<(T Result, TimeSpan Elapsed)> TimedAsync<T>(Func<Task<T>> action)
    {
        var watch = Stopwatch.StartNew();
        var result = await action();
        return (result, watch.Elapsed);
    }

    /// <summary>A valid-looking job_create whose client value runs on for <c>length</c> bytes, generated as read.</summary>
    /// <summary>A body handed to the socket a few bytes per write (one chunk each when chunked).</summary>
    private sealed class TrickleStream(byte[] bytes, int piece) : MemoryStream(bytes, writable: false)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, piece)], cancellationToken);
    }

    private sealed class HugeEnvelopeStream(string apiKey, long length) : Stream
    {
        private readonly byte[] _head = Encoding.UTF8.GetBytes(
            $"""<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><job_create xmlns="https://api.t2a.io/soap"><api_key>{apiKey}</api_key><client>""");

        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                var at = _position + i;
                buffer[offset + i] = at < _head.Length ? _head[at] : (byte)'x';
            }

            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
