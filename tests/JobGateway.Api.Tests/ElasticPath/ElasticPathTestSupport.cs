using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.ElasticPath;

/// <summary>Elastic Path requests as a client sends them, and the store-side steps a worker would take.</summary>
internal static class ElasticPathTestSupport
{
    public const string JobsPath = "/v2/subscriptions/jobs";
    public const string WorkerId = "ep-test-worker";

    /// <summary>Seed 004's request body, verbatim.</summary>
    public const string SeedCreateBody = """
        {
          "data": {
            "type": "subscription_job",
            "attributes": {
              "external_ref": "abc123",
              "job_type": "billing-run",
              "taxes": [
                {
                  "invoice_id": "11111111-2222-3333-4444-555555555555",
                  "tax_items": [
                    {
                      "type": "tax_item",
                      "name": "GST",
                      "code": "20.0 % S",
                      "rate": 0.2,
                      "jurisdiction": "USA"
                    }
                  ]
                }
              ]
            }
          }
        }
        """;

    public static string Body(string jobType = "billing-run", string? externalRef = null) =>
        new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["type"] = "subscription_job",
                ["attributes"] = new JsonObject { ["job_type"] = jobType, ["external_ref"] = externalRef },
            },
        }.ToJsonString();

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string body, string contentType = "application/json", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, JobsPath) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Creates a job and returns its <c>data</c>.</summary>
    public static async Task<JsonElement> CreateAsync(HttpClient client, string jobType = "billing-run", string? externalRef = null)
    {
        var response = await PostAsync(client, Body(jobType, externalRef));
        return (await ReadAsync(response, HttpStatusCode.Created)).GetProperty("data");
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The single error of an error answer, after checking the JSON:API shape.</summary>
    public static async Task<JsonElement> ReadErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var document = await ReadAsync(response, expected);
        var errors = document.GetProperty("errors");
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        Assert.All(errors.EnumerateArray(), e => Assert.Equal(((int)expected).ToString(System.Globalization.CultureInfo.InvariantCulture), e.GetProperty("status").GetString()));
        Assert.DoesNotContain("   at ", document.GetRawText(), StringComparison.Ordinal);
        return errors[0];
    }

    /// <summary>How many jobs the tenant has on every surface (the native list sees all types).</summary>
    public static async Task<int> CountAllJobsAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/jobs?pageSize=100");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items").GetArrayLength();
    }

    /// <summary>A worker claims the tenant's pending job of <paramref name="type"/> (Pending → Running).</summary>
    public static async Task StartAsync(GatewayFactory gateway, TestTenant tenant, string type, Guid jobId)
    {
        await using var scope = gateway.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IJobStore>();
        var claimed = await store.ClaimAsync(new ClaimRequest(WorkerId, [type], 1, TimeSpan.FromMinutes(5)) { ClientId = tenant.ClientId }, default);
        Assert.Equal(jobId, Assert.Single(claimed).Id);
    }

    /// <summary>The worker holding the job completes it with <paramref name="report"/>.</summary>
    public static async Task SucceedAsync(GatewayFactory gateway, TestTenant tenant, Guid jobId, string? report)
    {
        await using var scope = gateway.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IJobStore>();
        var now = gateway.Time.GetUtcNow();
        Assert.NotNull(await store.UpdateAsync(tenant.ClientId, jobId, j => j.Succeed(WorkerId, report, now), default));
    }

    /// <summary>The worker holding the job gives up on it.</summary>
    public static async Task FailAsync(GatewayFactory gateway, TestTenant tenant, Guid jobId)
    {
        await using var scope = gateway.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IJobStore>();
        var now = gateway.Time.GetUtcNow();
        Assert.NotNull(await store.UpdateAsync(tenant.ClientId, jobId, j => j.Fail(WorkerId, new JobError("boom", "It broke."), now), default));
    }
}
