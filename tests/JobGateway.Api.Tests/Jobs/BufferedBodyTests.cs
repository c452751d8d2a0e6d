using System.IO.Pipelines;
using System.Text;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Rest.ElasticPath;
using JobGateway.Rest.Http;
using JobGateway.Rest.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Jobs;

/// <summary>
/// Bodies read from the request pipe: once released, the pipe's memory holds other requests' bytes, so nothing bound
/// from a body may still point into it. The reader here overwrites the body as soon as it is released, as Kestrel's
/// pool eventually does; the bound values must come out whole.
/// </summary>
public sealed class BufferedBodyTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task NativeCreateBody_OutlivesThePipesMemory()
    {
        using var scope = gateway.Services.CreateScope();
        var context = ContextWith(scope, "application/json", """{"type":"billing-run","name":"Nov","payload":{"rows":[1,2,3],"note":"x"},"externalRef":"ref-1"}""");

        var request = await CreateJobRequest.BindAsync(context);

        Assert.NotNull(request);
        Assert.Equal(("billing-run", "Nov", "ref-1"), (request.Type, request.Name, request.ExternalRef));
        Assert.Equal("""{"rows":[1,2,3],"note":"x"}""", request.Payload?.GetRawText());
    }

    [Fact]
    public async Task ElasticPathCreateBody_OutlivesThePipesMemory()
    {
        using var scope = gateway.Services.CreateScope();
        var context = ContextWith(scope, "application/vnd.api+json", """{"data":{"type":"subscription_job","attributes":{"external_ref":"ep-1","job_type":"tax-run","taxes":[{"invoice_id":"inv","tax_items":[{"type":"tax_item","name":"GST","rate":0.1}]}]}}}""");

        var request = await SubscriptionJobCreateRequest.BindAsync(context);

        var attributes = request?.Data?.Attributes;
        Assert.NotNull(attributes);
        Assert.Equal(("ep-1", "tax-run"), (attributes.ExternalRef, attributes.JobType));
        Assert.Equal("GST", Assert.Single(Assert.Single(attributes.Taxes!).TaxItems!).Name);
    }

    private static DefaultHttpContext ContextWith(IServiceScope scope, string contentType, string body)
    {
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.ContentLength = bytes.Length;
        context.Features.Set<IRequestBodyPipeFeature>(new BodyFeature(new OverwritingReader(bytes)));
        return context;
    }

    private sealed class BodyFeature(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader => reader;
    }

    // Hands out the whole body at once; when it is released, overwrites it.
    private sealed class OverwritingReader(byte[] body) : PipeReader
    {
        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            if (consumed.GetInteger() == body.Length)
            {
                body.AsSpan().Fill((byte)'#');
            }
        }

        public override void CancelPendingRead()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new ReadResult(new System.Buffers.ReadOnlySequence<byte>(body), isCanceled: false, isCompleted: true));

        public override bool TryRead(out ReadResult result)
        {
            result = new ReadResult(new System.Buffers.ReadOnlySequence<byte>(body), isCanceled: false, isCompleted: true);
            return true;
        }
    }
}
