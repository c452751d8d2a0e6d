using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Rest.Http;
using JobGateway.Rest.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Jobs;

/// <summary>The hot endpoints' JSON results answer byte for byte what the framework's typed results answer.</summary>
public sealed class JsonResultsTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    public static TheoryData<string> Payloads => new() { """{"n":1}""", """{"text":"<é & \"quoted\" \u2028>","list":[1,2.5,null,true]}""" };

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task JsonResults_WriteWhatTypedResultsWrite(string payload)
    {
        var job = new JobResponse(
            Guid.CreateVersion7(), 42, "billing-run", "Nov <billing> & co", "running", false, "ref-é", new RawJson(payload), 1, 50, true,
            new RawJson("""{"rows":3}"""), new JobErrorResponse("boom", "It \"failed\"", null),
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), null, DateTimeOffset.UnixEpoch.AddDays(2));

        Assert.Equal(await RunAsync(TypedResults.Ok(job)), await RunAsync(JsonResults.Ok(job)));
        Assert.Equal(await RunAsync(TypedResults.Accepted("/api/jobs/x", job)), await RunAsync(JsonResults.Accepted("/api/jobs/x", job)));
        Assert.Equal(await RunAsync(TypedResults.Created("/api/jobs/x", job)), await RunAsync(JsonResults.Created("/api/jobs/x", job)));
    }

    // Jobs with every optional part absent, present, and awkward: the hand-written JobResponse writer must give the
    // serializer's bytes for each (nulls written, fractional and offset instants, raw values of every JSON kind).
    public static TheoryData<int> Shapes => new() { 0, 1, 2, 3 };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task JobResponse_HandWritten_IsTheSerializersOutput(int shape)
    {
        var created = new DateTimeOffset(2026, 11, 30, 21, 5, 7, TimeSpan.Zero).AddTicks(1234567);
        var job = shape switch
        {
            0 => new JobResponse(Guid.Empty, 0, "t", null, "pending", false, null, null, 0, 0, false, null, null, created, created, null, null),
            1 => new JobResponse(Guid.CreateVersion7(), long.MaxValue, "billing-run", "line\nbreak \u0001 \"q\" </script>", "failed", true,
                "\ud83d\ude00 emoji", new RawJson("[1, \"two\", {\"three\": 3e2}]"), int.MaxValue, 100, true, new RawJson("\"text\""),
                new JobErrorResponse("timeout", "Took > 5 s & gave up", "at step 'b'"), created, created.AddSeconds(1),
                new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.FromHours(2)), created.AddTicks(1)),
            2 => new JobResponse(Guid.CreateVersion7(), 7, "x", "", "succeeded", true, "", new RawJson("12.50"), 1, 100, false, new RawJson("null"),
                new JobErrorResponse("", "", null), DateTimeOffset.MinValue, DateTimeOffset.MaxValue, created, created),
            _ => new JobResponse(Guid.CreateVersion7(), -1, "x", "ü", "cancelled", true, null, new RawJson(" { \"a\" : [ ] } "), 2, 0, true, null,
                null, created, created, created, null),
        };

        Assert.Equal(await RunAsync(TypedResults.Ok(job)), await RunAsync(JsonResults.Ok(job)));
    }

    private async Task<(int Status, string? ContentType, string? Location, string Body)> RunAsync(IResult result)
    {
        using var scope = gateway.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        await context.Response.CompleteAsync();
        return (context.Response.StatusCode, context.Response.ContentType, context.Response.Headers.Location, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }
}
