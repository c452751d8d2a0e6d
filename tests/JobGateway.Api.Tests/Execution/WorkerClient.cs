using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobGateway.Api.Tests.Jobs;

namespace JobGateway.Api.Tests.Execution;

/// <summary>An external worker as a test drives it: plain HTTP calls to the worker API.</summary>
internal sealed class WorkerClient(HttpClient http, string workerId)
{
    public string WorkerId => workerId;

    public async Task<JsonElement[]> FetchAsync(string[] types, int maxJobs = 1, int lockSeconds = 60, int waitSeconds = 0, CancellationToken cancellationToken = default)
    {
        var response = await http.PostAsJsonAsync("/api/worker/fetch", new { workerId, types, maxJobs, lockSeconds, waitSeconds }, cancellationToken);
        return (await JobsApiTests.ReadJsonAsync(response)).EnumerateArray().ToArray();
    }

    public Task<HttpResponseMessage> HeartbeatAsync(Guid id, int? progress = null, int lockSeconds = 60) =>
        http.PostAsJsonAsync($"/api/worker/jobs/{id}/heartbeat", new { workerId, progress, lockSeconds });

    public Task<HttpResponseMessage> CompleteAsync(Guid id, object? report = null) =>
        http.PostAsJsonAsync($"/api/worker/jobs/{id}/complete", new { workerId, report });

    public Task<HttpResponseMessage> CompleteManyAsync(params (Guid Id, object? Report)[] jobs) =>
        http.PostAsJsonAsync("/api/worker/complete", new { workerId, jobs = jobs.Select(j => new { id = j.Id, report = j.Report }) });

    public Task<HttpResponseMessage> FailAsync(Guid id, string code, string message, bool retry = true) =>
        http.PostAsJsonAsync($"/api/worker/jobs/{id}/fail", new { workerId, error = new { code, message }, retry });

    public Task<HttpResponseMessage> CancelledAsync(Guid id) =>
        http.PostAsJsonAsync($"/api/worker/jobs/{id}/cancelled", new { workerId });

    public static async Task<JsonElement> OkJsonAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JobsApiTests.ReadJsonAsync(response);
    }
}
