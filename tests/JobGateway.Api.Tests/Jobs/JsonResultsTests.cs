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
