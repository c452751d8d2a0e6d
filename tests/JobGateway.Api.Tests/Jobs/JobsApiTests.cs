using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using JobGateway.Api.Tests.Infrastructure;

namespace JobGateway.Api.Tests.Jobs;

public sealed class JobsApiTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task Create_Returns202WithLocationRetryAfterAndThePendingJob()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var response = await client.PostAsJsonAsync("/api/jobs", new { type = "billing-run", name = "November", payload = new { month = 11 }, externalRef = "ref-1" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await ReadJsonAsync(response);
        var id = job.GetProperty("id").GetGuid();
        Assert.Equal($"/api/jobs/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("pending", job.GetProperty("status").GetString());
        Assert.False(job.GetProperty("done").GetBoolean());
        Assert.Equal("billing-run", job.GetProperty("type").GetString());
        Assert.Equal("November", job.GetProperty("name").GetString());
        Assert.Equal("ref-1", job.GetProperty("externalRef").GetString());
        Assert.Equal(11, job.GetProperty("payload").GetProperty("month").GetInt32());
        Assert.True(job.GetProperty("number").GetInt64() > 0);
        Assert.Equal(gateway.Time.GetUtcNow(), job.GetProperty("createdAt").GetDateTimeOffset());

        var fetched = await ReadJsonAsync(await client.GetAsync(response.Headers.Location));
        Assert.Equal(id, fetched.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Create_NumbersIncrease()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var first = await CreateAsync(client, "t");
        var second = await CreateAsync(client, "t");

        Assert.True(second.GetProperty("number").GetInt64() > first.GetProperty("number").GetInt64());
    }

    [Fact]
    public async Task Create_WithSameIdempotencyKeyAndBody_ReturnsTheOriginalJob()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        const string body = """{"type":"tax-run","payload":{"x":1}}""";

        var first = await PostRawAsync(client, body, "key-1");
        var second = await PostRawAsync(client, body, "key-1");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((await ReadJsonAsync(first)).GetProperty("id").GetGuid(), (await ReadJsonAsync(second)).GetProperty("id").GetGuid());
        Assert.Equal(1, await CountJobsAsync(client));
    }

    [Fact]
    public async Task Create_WithSameIdempotencyKeyAndOtherBody_Returns409AndStoresNothing()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        await PostRawAsync(client, """{"type":"tax-run"}""", "key-2");
        var conflict = await PostRawAsync(client, """{"type":"payment-run"}""", "key-2");

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var problem = await ReadProblemAsync(conflict);
        Assert.Equal("idempotency_key_reused", problem.GetProperty("code").GetString());
        Assert.Equal(1, await CountJobsAsync(client));
    }

    [Fact]
    public async Task IdempotencyKeys_AreScopedToTheClient()
    {
        var first = await gateway.CreateTenantAsync();
        var second = await gateway.CreateTenantAsync();
        using var a = gateway.CreateClient(first.ApiKey);
        using var b = gateway.CreateClient(second.ApiKey);

        var jobA = await ReadJsonAsync(await PostRawAsync(a, """{"type":"t"}""", "shared-key"));
        var jobB = await ReadJsonAsync(await PostRawAsync(b, """{"type":"t"}""", "shared-key"));

        Assert.NotEqual(jobA.GetProperty("id").GetGuid(), jobB.GetProperty("id").GetGuid());
    }

    [Theory]
    [InlineData("""{"type":""", "not valid JSON")]
    [InlineData("""{"type":5}""", "'type' must be a string")]
    [InlineData("""{"type":"t","name":["x"]}""", "'name' must be a string")]
    [InlineData("""{"name":"no type"}""", "'type' is required")]
    [InlineData("""{"type":"Bad Type!"}""", "'type' may contain only")]
    [InlineData("""[1,2]""", "must be a JSON object")]
    [InlineData("", "body")]
    public async Task Create_WithBadBody_Returns400ProblemAndStoresNothing(string body, string expectedInDetail)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var response = await PostRawAsync(client, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadProblemAsync(response);
        Assert.Contains(expectedInDetail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await CountJobsAsync(client));
    }

    [Fact]
    public async Task Create_WithOversizedBody_Returns413AndStoresNothing()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var body = $$"""{"type":"t","payload":"{{new string('x', 2 * 1024 * 1024)}}"}""";

        var response = await PostRawAsync(client, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body_too_large", (await ReadProblemAsync(response)).GetProperty("code").GetString());
        Assert.Equal(0, await CountJobsAsync(client));
    }

    [Fact]
    public async Task Create_WithOversizedChunkedBody_Returns413AndStoresNothing()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var bytes = Encoding.UTF8.GetBytes($$"""{"type":"t","payload":"{{new string('x', 2 * 1024 * 1024)}}"}""");
        using var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new("application/json");

        var response = await client.PostAsync("/api/jobs", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await CountJobsAsync(client));
    }

    [Fact]
    public async Task Create_WithoutKey_Returns401Problem()
    {
        using var client = gateway.CreateClient(apiKey: null);

        var response = await client.PostAsJsonAsync("/api/jobs", new { type = "t" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthorized", (await ReadProblemAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Create_WithUnknownOrRevokedKey_Returns401()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/clients/{tenant.ClientId}/keys/{tenant.KeyId}")).StatusCode);

        using var revoked = gateway.CreateClient(tenant.ApiKey);
        using var unknown = gateway.CreateClient("jg_not-a-key");

        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.PostAsJsonAsync("/api/jobs", new { type = "t" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await unknown.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task Create_WithWorkerOnlyKey_Returns403()
    {
        var worker = await gateway.CreateTenantAsync("worker");
        using var client = gateway.CreateClient(worker.ApiKey);

        var response = await client.PostAsJsonAsync("/api/jobs", new { type = "t" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownId_Returns404Problem()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var response = await client.GetAsync($"/api/jobs/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("job_not_found", (await ReadProblemAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task OtherTenant_GetsNotFoundOnEveryEndpoint_AndChangesNothing()
    {
        var owner = await gateway.CreateTenantAsync();
        var other = await gateway.CreateTenantAsync();
        using var ownerClient = gateway.CreateClient(owner.ApiKey);
        using var otherClient = gateway.CreateClient(other.ApiKey);
        var job = await CreateAsync(ownerClient, "billing-run", externalRef: "secret-ref");
        var id = job.GetProperty("id").GetGuid();

        var get = await otherClient.GetAsync($"/api/jobs/{id}");
        var cancel = await otherClient.PostAsync($"/api/jobs/{id}/cancel", null);
        var delete = await otherClient.DeleteAsync($"/api/jobs/{id}");
        var list = await ReadJsonAsync(await otherClient.GetAsync("/api/jobs?externalRef=secret-ref"));
        var unknown = await otherClient.GetAsync($"/api/jobs/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        // Existence does not leak: another tenant's job reads exactly like a job that does not exist.
        Assert.Equal(
            (await ReadProblemAsync(unknown)).GetProperty("title").GetString(),
            (await ReadProblemAsync(get)).GetProperty("title").GetString());
        var after = await ReadJsonAsync(await ownerClient.GetAsync($"/api/jobs/{id}"));
        Assert.Equal("pending", after.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Cancel_PendingJob_IsCancelledAtOnce()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var id = (await CreateAsync(client, "t")).GetProperty("id").GetGuid();

        var response = await client.PostAsync($"/api/jobs/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var job = await ReadJsonAsync(response);
        Assert.Equal("cancelled", job.GetProperty("status").GetString());
        Assert.True(job.GetProperty("done").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, job.GetProperty("finishedAt").ValueKind);
    }

    [Fact]
    public async Task Cancel_FinishedJob_Returns409AndChangesNothing()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var id = (await CreateAsync(client, "t")).GetProperty("id").GetGuid();
        await client.PostAsync($"/api/jobs/{id}/cancel", null);

        var again = await client.PostAsync($"/api/jobs/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("illegal_transition", (await ReadProblemAsync(again)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Delete_RemovesTheJob()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var id = (await CreateAsync(client, "t")).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/jobs/{id}")).StatusCode);
    }

    [Fact]
    public async Task List_FiltersByStatusTypeAndExternalRef()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        await CreateAsync(client, "billing-run", externalRef: "a");
        var cancelled = (await CreateAsync(client, "tax-run", externalRef: "b")).GetProperty("id").GetGuid();
        await CreateAsync(client, "tax-run", externalRef: "c");
        await client.PostAsync($"/api/jobs/{cancelled}/cancel", null);

        Assert.Equal(["a"], await ExternalRefsAsync(client, "/api/jobs?type=billing-run"));
        Assert.Equal(["b"], await ExternalRefsAsync(client, "/api/jobs?status=cancelled"));
        Assert.Equal(["a", "c"], await ExternalRefsAsync(client, "/api/jobs?status=pending"));
        Assert.Equal(["c"], await ExternalRefsAsync(client, "/api/jobs?externalRef=c&type=tax-run,billing-run"));
        Assert.Equal(["a", "b", "c"], await ExternalRefsAsync(client, $"/api/jobs?createdFrom={Uri.EscapeDataString(gateway.Time.GetUtcNow().ToString("O"))}"));
        Assert.Empty(await ExternalRefsAsync(client, $"/api/jobs?createdTo={Uri.EscapeDataString(gateway.Time.GetUtcNow().ToString("O"))}"));
    }

    [Fact]
    public async Task List_PagesAreStableWhileJobsAreAdded()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        for (var i = 0; i < 5; i++)
        {
            await CreateAsync(client, "t", externalRef: $"r{i}");
        }

        var first = await ReadJsonAsync(await client.GetAsync("/api/jobs?pageSize=2"));
        await CreateAsync(client, "t", externalRef: "r5");
        var token = first.GetProperty("nextPageToken").GetString();
        var second = await ReadJsonAsync(await client.GetAsync($"/api/jobs?pageSize=2&pageToken={token}"));
        var third = await ReadJsonAsync(await client.GetAsync($"/api/jobs?pageSize=2&pageToken={second.GetProperty("nextPageToken").GetString()}"));

        Assert.Equal(["r0", "r1"], Refs(first));
        Assert.Equal(["r2", "r3"], Refs(second));
        Assert.Equal(["r4", "r5"], Refs(third));
        Assert.Equal(JsonValueKind.Null, third.GetProperty("nextPageToken").ValueKind);
    }

    [Theory]
    [InlineData("status=done", "status")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageToken=abc", "pageToken")]
    [InlineData("createdFrom=yesterday", "createdFrom")]
    public async Task List_WithBadQuery_Returns400NamingTheParameter(string query, string parameter)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var response = await client.GetAsync($"/api/jobs?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ReadProblemAsync(response)).GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task Health_LiveAndReady_AnswerWithoutAKey()
    {
        using var client = gateway.CreateClient(apiKey: null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Swagger_ListsTheNativeApiWithTheBearerScheme()
    {
        using var client = gateway.CreateClient(apiKey: null);

        var document = await ReadJsonAsync(await client.GetAsync("/swagger/v1/swagger.json"));
        var ui = await client.GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/jobs", out var jobs));
        Assert.True(jobs.TryGetProperty("post", out _));
        Assert.True(paths.TryGetProperty("/api/jobs/{id}/cancel", out _));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
    }

    internal static async Task<JsonElement> CreateAsync(HttpClient client, string type, string? externalRef = null)
    {
        var response = await client.PostAsJsonAsync("/api/jobs", new { type, externalRef });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await ReadJsonAsync(response);
    }

    internal static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    internal static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<HttpResponseMessage> PostRawAsync(HttpClient client, string body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    private static async Task<int> CountJobsAsync(HttpClient client) =>
        (await ReadJsonAsync(await client.GetAsync("/api/jobs?pageSize=100"))).GetProperty("items").GetArrayLength();

    private static async Task<string[]> ExternalRefsAsync(HttpClient client, string url) => Refs(await ReadJsonAsync(await client.GetAsync(url)));

    private static string[] Refs(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("externalRef").GetString() ?? "").ToArray();

    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
