using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using JobGateway.Api.Tests.Infrastructure;
using static JobGateway.Api.Tests.ElasticPath.ElasticPathTestSupport;

namespace JobGateway.Api.Tests.ElasticPath;

public sealed class ElasticPathJobsTests(SteppedGatewayFactory gateway) : IClassFixture<SteppedGatewayFactory>
{
    [Fact]
    public async Task Create_WithTheSeedBody_Returns201WithTheSeedShape()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var response = await PostAsync(client, SeedCreateBody);

        var data = (await ReadAsync(response, HttpStatusCode.Created)).GetProperty("data");
        var id = data.GetProperty("id").GetGuid();
        Assert.Equal($"{JobsPath}/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("subscription_job", data.GetProperty("type").GetString());
        var attributes = data.GetProperty("attributes");
        Assert.Equal("abc123", attributes.GetProperty("external_ref").GetString());
        Assert.Equal("billing-run", attributes.GetProperty("job_type").GetString());
        Assert.Equal("pending", attributes.GetProperty("status").GetString());
        var seedTaxes = JsonNode.Parse(SeedCreateBody)!["data"]!["attributes"]!["taxes"];
        Assert.True(JsonNode.DeepEquals(seedTaxes, JsonNode.Parse(attributes.GetProperty("taxes").GetRawText())));
        var now = gateway.Time.GetUtcNow();
        Assert.Equal(now, attributes.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(now, attributes.GetProperty("updated_at").GetDateTimeOffset());
        var meta = data.GetProperty("meta");
        Assert.Equal("store", meta.GetProperty("owner").GetString());
        var timestamps = meta.GetProperty("timestamps");
        Assert.Equal(now, timestamps.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(now, timestamps.GetProperty("updated_at").GetDateTimeOffset());
        Assert.False(timestamps.TryGetProperty("started_at", out _));
        Assert.False(timestamps.TryGetProperty("finished_at", out _));
        Assert.Equal(
            """{"invoices_ready_for_payment":0,"invoices_tax_required":0,"invoice_failures":0,"total_ready_for_payment":{},"total_tax_required":{}}""",
            meta.GetProperty("report").GetRawText());
    }

    [Fact]
    public async Task Create_AcceptsTheJsonApiMediaType()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var response = await PostAsync(client, Body("tax-run"), "application/vnd.api+json");

        var data = (await ReadAsync(response, HttpStatusCode.Created)).GetProperty("data");
        Assert.Equal("tax-run", data.GetProperty("attributes").GetProperty("job_type").GetString());
        Assert.Equal("""{"invoices_updated":0,"invoice_failures":0}""", data.GetProperty("meta").GetProperty("report").GetRawText());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Create_WithAnotherContentType_Returns415InTheErrorsShapeAndStoresNothing(string contentType)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var response = await PostAsync(client, Body(), contentType);

        var error = await ReadErrorAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("Unsupported Media Type", error.GetProperty("title").GetString());
        Assert.Contains("application/vnd.api+json", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAllJobsAsync(client));
    }

    [Theory]
    [InlineData("""{}""", "data")]
    [InlineData("""{"data":null}""", "data")]
    [InlineData("""{"data":{"attributes":{"job_type":"billing-run"}}}""", "data.type")]
    [InlineData("""{"data":{"type":"subscription","attributes":{"job_type":"billing-run"}}}""", "data.type")]
    [InlineData("""{"data":{"type":"subscription_job"}}""", "data.attributes")]
    [InlineData("""{"data":{"type":"subscription_job","attributes":{}}}""", "data.attributes.job_type")]
    [InlineData("""{"data":{"type":"subscription_job","attributes":{"job_type":"refund-run"}}}""", "data.attributes.job_type")]
    [InlineData("""{"data":{"type":"subscription_job","attributes":{"job_type":5}}}""", "data.attributes.job_type")]
    [InlineData("""{"data":{"type":"subscription_job","attributes":{"job_type":"billing-run","external_ref":["x"]}}}""", "data.attributes.external_ref")]
    [InlineData("""{"data":{"type":"subscription_job","attributes":{"job_type":"tax-run","taxes":{}}}}""", "data.attributes.taxes")]
    [InlineData("""{"data":{"type":"subscription_job","attributes":{"job_type":"tax-run","taxes":[{"tax_items":[]}]}}}""", "data.attributes.taxes[0].invoice_id")]
    [InlineData("""{"data":{"type":"subscription_job","attributes":{"job_type":"tax-run","taxes":[{"invoice_id":"inv-1","tax_items":[]}]}}}""", "data.attributes.taxes[0].invoice_id")]
    [InlineData("""{"data":{"type":"subscription_job","attributes":{"job_type":"tax-run","taxes":[{"invoice_id":"11111111-2222-3333-4444-555555555555"}]}}}""", "data.attributes.taxes[0].tax_items")]
    [InlineData("""{"data":{"type":"subscription_job","attributes":{"job_type":"tax-run","taxes":[{"invoice_id":"11111111-2222-3333-4444-555555555555","tax_items":[{"rate":0.2}]}]}}}""", "data.attributes.taxes[0].tax_items[0].type")]
    [InlineData("""{"data":{"type":"subscription_job","attributes":{"job_type":"tax-run","taxes":[{"invoice_id":"11111111-2222-3333-4444-555555555555","tax_items":[{"type":"tax","rate":0.2}]}]}}}""", "data.attributes.taxes[0].tax_items[0].type")]
    [InlineData("""{"data":{"type":"subscription_job","attributes":{"job_type":"tax-run","taxes":[{"invoice_id":"11111111-2222-3333-4444-555555555555","tax_items":[{"type":"tax_item"}]}]}}}""", "data.attributes.taxes[0].tax_items[0].rate")]
    [InlineData("""{"data":{"type":"subscription_job","attributes":{"job_type":"tax-run","taxes":[{"invoice_id":"11111111-2222-3333-4444-555555555555","tax_items":[{"type":"tax_item","rate":-0.1}]}]}}}""", "data.attributes.taxes[0].tax_items[0].rate")]
    [InlineData("""{"data":{"type":"subscription_job","attributes":{"job_type":"tax-run","taxes":[{"invoice_id":"11111111-2222-3333-4444-555555555555","tax_items":[{"type":"tax_item","rate":"0.2"}]}]}}}""", "data.attributes.taxes[0].tax_items[0].rate")]
    public async Task Create_WithAnInvalidMember_Returns400ValidationErrorNamingTheMemberAndStoresNothing(string body, string path)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var response = await PostAsync(client, body);

        var error = await ReadErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("Validation Error", error.GetProperty("title").GetString());
        Assert.StartsWith(path + ": ", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAllJobsAsync(client));
    }

    [Theory]
    [InlineData("name")]
    [InlineData("code")]
    [InlineData("jurisdiction")]
    public async Task Create_WithATaxItemTextOver1024Characters_Returns400NamingIt(string member)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var body = JsonNode.Parse(SeedCreateBody)!;
        body["data"]!["attributes"]!["taxes"]![0]!["tax_items"]![0]![member] = new string('x', 1025);

        var response = await PostAsync(client, body.ToJsonString());

        var error = await ReadErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal($"data.attributes.taxes[0].tax_items[0].{member}: \"{member}\" must be at most 1024 characters", error.GetProperty("detail").GetString());
        Assert.Equal(0, await CountAllJobsAsync(client));
    }

    [Fact]
    public async Task Create_WithATaxItemTextOf1024Characters_IsAccepted()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var body = JsonNode.Parse(SeedCreateBody)!;
        body["data"]!["attributes"]!["taxes"]![0]!["tax_items"]![0]!["name"] = new string('x', 1024);

        var response = await PostAsync(client, body.ToJsonString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Create_WithSeveralProblems_ListsOneErrorPerProblem()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var response = await PostAsync(client, """{"data":{"type":"x","attributes":{"job_type":"nope"}}}""");

        var document = await ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(
            ["data.type: \"type\" must be \"subscription_job\"", "data.attributes.job_type: \"job_type\" must be one of billing-run, tax-run, payment-run"],
            document.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("detail").GetString()));
    }

    [Theory]
    [InlineData("""{"data":""")]
    [InlineData("""not json""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"data":{"type":"subscription_job","attributes":{"job_type":"billing-run"}}} trailing""")]
    public async Task Create_WithMalformedJson_Returns400AndStoresNothing(string body)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var response = await PostAsync(client, body);

        await ReadErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, await CountAllJobsAsync(client));
    }

    [Fact]
    public async Task Create_WithAnEmptyBody_Returns400SayingTheBodyIsRequired()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var response = await PostAsync(client, string.Empty);

        var error = await ReadErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The request body is required.", error.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Create_WithAnOversizedBody_Returns413InTheErrorsShapeAndStoresNothing()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var body = Body("billing-run", new string('x', 2 * 1024 * 1024));

        var response = await PostAsync(client, body);

        var error = await ReadErrorAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Payload Too Large", error.GetProperty("title").GetString());
        Assert.Equal(0, await CountAllJobsAsync(client));
    }

    [Fact]
    public async Task Create_WithoutOrWithABadToken_Returns401WithElasticPathsBody()
    {
        using var anonymous = gateway.CreateClient(apiKey: null);
        using var unknown = gateway.CreateClient("jg_not-a-key");

        foreach (var response in new[] { await PostAsync(anonymous, SeedCreateBody), await PostAsync(unknown, SeedCreateBody), await unknown.GetAsync(JobsPath) })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("""{"errors":[{"status":"401","title":"Unable to validate access token"}]}""", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Create_WithAWorkerOnlyKey_Returns403InTheErrorsShape()
    {
        var worker = await gateway.CreateTenantAsync("worker");
        using var client = gateway.CreateClient(worker.ApiKey);

        var response = await PostAsync(client, SeedCreateBody);

        Assert.Equal("Forbidden", (await ReadErrorAsync(response, HttpStatusCode.Forbidden)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Create_WithTheSameIdempotencyKeyAndBody_ReturnsTheOriginalJob()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        // Same members, other layout: the stored payload is normalised, so this is the same request.
        var compact = JsonNode.Parse(SeedCreateBody)!.ToJsonString();

        var first = await PostAsync(client, SeedCreateBody, idempotencyKey: "nov-billing");
        var second = await PostAsync(client, compact, idempotencyKey: "nov-billing");

        var firstId = (await ReadAsync(first, HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        var secondId = (await ReadAsync(second, HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        Assert.Equal(firstId, secondId);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, await CountAllJobsAsync(client));
    }

    [Fact]
    public async Task Create_WithTheSameIdempotencyKeyAndAnotherBody_Returns409WriteConflictAndStoresNothing()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        await ReadAsync(await PostAsync(client, Body("billing-run"), idempotencyKey: "k"), HttpStatusCode.Created);

        var conflict = await PostAsync(client, Body("payment-run"), idempotencyKey: "k");

        var error = await ReadErrorAsync(conflict, HttpStatusCode.Conflict);
        Assert.Equal("Write Conflict", error.GetProperty("title").GetString());
        Assert.Equal(1, await CountAllJobsAsync(client));
    }

    [Fact]
    public async Task Get_ReturnsTheJobAsCreated()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var created = (await ReadAsync(await PostAsync(client, SeedCreateBody), HttpStatusCode.Created)).GetProperty("data");

        var fetched = (await ReadAsync(await client.GetAsync($"{JobsPath}/{created.GetProperty("id").GetGuid()}"), HttpStatusCode.OK)).GetProperty("data");

        Assert.Equal(created.GetRawText(), fetched.GetRawText());
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000001")]
    [InlineData("not-a-guid")]
    public async Task GetAndDelete_UnknownIds_Return404InTheErrorsShape(string id)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var get = await ReadErrorAsync(await client.GetAsync($"{JobsPath}/{id}"), HttpStatusCode.NotFound);
        var delete = await ReadErrorAsync(await client.DeleteAsync($"{JobsPath}/{id}"), HttpStatusCode.NotFound);

        Assert.Equal("Not Found", get.GetProperty("title").GetString());
        Assert.Equal(get.GetRawText(), delete.GetRawText());
    }

    [Fact]
    public async Task Get_JobOfAnotherSurfacesType_Returns404()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var native = await client.PostAsync("/api/jobs", new StringContent("""{"type":"upload"}""", Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await native.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        await ReadErrorAsync(await client.GetAsync($"{JobsPath}/{id}"), HttpStatusCode.NotFound);
        await ReadErrorAsync(await client.DeleteAsync($"{JobsPath}/{id}"), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/jobs/{id}")).StatusCode);
    }

    [Fact]
    public async Task OtherTenant_GetsNotFoundAsForAnUnknownId_AndChangesNothing()
    {
        var owner = await gateway.CreateTenantAsync();
        var other = await gateway.CreateTenantAsync();
        using var ownerClient = gateway.CreateClient(owner.ApiKey);
        using var otherClient = gateway.CreateClient(other.ApiKey);
        var id = (await CreateAsync(ownerClient, externalRef: "secret-ref")).GetProperty("id").GetGuid();

        var get = await otherClient.GetAsync($"{JobsPath}/{id}");
        var delete = await otherClient.DeleteAsync($"{JobsPath}/{id}");
        var list = await ReadAsync(await otherClient.GetAsync($"{JobsPath}?filter=eq(external_ref,secret-ref)"), HttpStatusCode.OK);
        var unknown = await otherClient.GetAsync($"{JobsPath}/{Guid.NewGuid()}");

        var expected = (await ReadErrorAsync(unknown, HttpStatusCode.NotFound)).GetProperty("title").GetString();
        Assert.Equal(expected, (await ReadErrorAsync(get, HttpStatusCode.NotFound)).GetProperty("title").GetString());
        Assert.Equal(expected, (await ReadErrorAsync(delete, HttpStatusCode.NotFound)).GetProperty("title").GetString());
        Assert.Equal(0, list.GetProperty("data").GetArrayLength());
        Assert.Equal(0, list.GetProperty("meta").GetProperty("results").GetProperty("total").GetInt32());
        var after = (await ReadAsync(await ownerClient.GetAsync($"{JobsPath}/{id}"), HttpStatusCode.OK)).GetProperty("data");
        Assert.Equal("pending", after.GetProperty("attributes").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Delete_PendingJob_Returns204AndRemovesIt()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var id = (await CreateAsync(client)).GetProperty("id").GetGuid();

        var response = await client.DeleteAsync($"{JobsPath}/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await ReadErrorAsync(await client.GetAsync($"{JobsPath}/{id}"), HttpStatusCode.NotFound);
        Assert.Equal(0, await CountAllJobsAsync(client));
    }

    [Fact]
    public async Task Delete_StartedJob_Returns409WriteConflictAndKeepsIt()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var id = (await CreateAsync(client, "payment-run")).GetProperty("id").GetGuid();
        await StartAsync(gateway, tenant, "payment-run", id);

        var response = await client.DeleteAsync($"{JobsPath}/{id}");

        var error = await ReadErrorAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("Write Conflict", error.GetProperty("title").GetString());
        var job = (await ReadAsync(await client.GetAsync($"{JobsPath}/{id}"), HttpStatusCode.OK)).GetProperty("data");
        Assert.Equal("started", job.GetProperty("attributes").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Status_FollowsTheJob_PendingStartedSuccess_WithTimestamps()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var id = (await CreateAsync(client, "tax-run")).GetProperty("id").GetGuid();
        var created = gateway.Time.GetUtcNow();

        gateway.Time.Advance(TimeSpan.FromMinutes(1));
        await StartAsync(gateway, tenant, "tax-run", id);
        var started = await GetDataAsync(client, id);
        gateway.Time.Advance(TimeSpan.FromMinutes(1));
        await SucceedAsync(gateway, tenant, id, """{"invoices_updated":7}""");
        var finished = await GetDataAsync(client, id);

        Assert.Equal("started", started.GetProperty("attributes").GetProperty("status").GetString());
        Assert.Equal(created.AddMinutes(1), started.GetProperty("meta").GetProperty("timestamps").GetProperty("started_at").GetDateTimeOffset());
        Assert.Equal("success", finished.GetProperty("attributes").GetProperty("status").GetString());
        var timestamps = finished.GetProperty("meta").GetProperty("timestamps");
        Assert.Equal(created, timestamps.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(created.AddMinutes(2), timestamps.GetProperty("finished_at").GetDateTimeOffset());
        Assert.Equal(created.AddMinutes(2), timestamps.GetProperty("updated_at").GetDateTimeOffset());
        Assert.Equal("""{"invoices_updated":7,"invoice_failures":0}""", finished.GetProperty("meta").GetProperty("report").GetRawText());
    }

    [Fact]
    public async Task Status_OfFailedAndCancelledJobs_IsFailed()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var failed = (await CreateAsync(client, "tax-run")).GetProperty("id").GetGuid();
        var cancelled = (await CreateAsync(client, "tax-run")).GetProperty("id").GetGuid();
        await StartAsync(gateway, tenant, "tax-run", failed);
        await FailAsync(gateway, tenant, failed);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/jobs/{cancelled}/cancel", null)).StatusCode);

        Assert.Equal("failed", (await GetDataAsync(client, failed)).GetProperty("attributes").GetProperty("status").GetString());
        Assert.Equal("failed", (await GetDataAsync(client, cancelled)).GetProperty("attributes").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Report_OfABillingRun_IsWhatTheWorkerReported()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var id = (await CreateAsync(client, "billing-run")).GetProperty("id").GetGuid();
        const string report = """
            {"invoices_ready_for_payment":100,"invoices_tax_required":100,"invoice_failures":0,
             "total_ready_for_payment":{"USD":{"amount":100,"includes_tax":false},"GBP":{"amount":90,"includes_tax":true}},
             "total_tax_required":{"USD":{"amount":100,"includes_tax":false},"GBP":{"amount":90,"includes_tax":true}},
             "worker_notes":"ignored"}
            """;
        await StartAsync(gateway, tenant, "billing-run", id);
        await SucceedAsync(gateway, tenant, id, report);

        var shaped = (await GetDataAsync(client, id)).GetProperty("meta").GetProperty("report");

        var expected = JsonNode.Parse(report)!.AsObject();
        expected.Remove("worker_notes");
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(shaped.GetRawText())), shaped.GetRawText());
    }

    [Fact]
    public async Task Report_OfAPaymentRunWithMissingOrBadCounters_FillsZerosAndEmptyTotals()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var id = (await CreateAsync(client, "payment-run")).GetProperty("id").GetGuid();
        await StartAsync(gateway, tenant, "payment-run", id);
        await SucceedAsync(gateway, tenant, id, """{"total_payment_attempts":"12","total_collected":{"EUR":{"amount":4200},"bad":5}}""");

        var shaped = (await GetDataAsync(client, id)).GetProperty("meta").GetProperty("report");

        Assert.Equal(
            """{"total_payment_attempts":0,"failed_payments":0,"total_collected":{"EUR":{"amount":4200,"includes_tax":false}}}""",
            shaped.GetRawText());
    }

    [Fact]
    public async Task Report_ThatIsNotJson_ReadsAsAllZeros()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var id = (await CreateAsync(client, "tax-run")).GetProperty("id").GetGuid();
        await StartAsync(gateway, tenant, "tax-run", id);
        await SucceedAsync(gateway, tenant, id, "done, 7 invoices");

        var shaped = (await GetDataAsync(client, id)).GetProperty("meta").GetProperty("report");

        Assert.Equal("""{"invoices_updated":0,"invoice_failures":0}""", shaped.GetRawText());
    }

    [Fact]
    public async Task JobCreatedOverElasticPath_IsReadByTheNativeApi()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var id = (await ReadAsync(await PostAsync(client, SeedCreateBody), HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

        var response = await client.GetAsync($"/api/jobs/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var job = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("billing-run", job.GetProperty("type").GetString());
        Assert.Equal("abc123", job.GetProperty("externalRef").GetString());
        Assert.Equal("pending", job.GetProperty("status").GetString());
        Assert.Equal(
            "11111111-2222-3333-4444-555555555555",
            job.GetProperty("payload").GetProperty("taxes")[0].GetProperty("invoice_id").GetString());
    }

    [Fact]
    public async Task JobCreatedOverElasticPath_IsReadBySoapGetJobStatusAsPending()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var id = (await ReadAsync(await PostAsync(client, SeedCreateBody), HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        var envelope = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
              <soap:Body>
                <GetJobStatus xmlns="http://api.discountasp.net/">
                  <key>{tenant.ApiKey}</key>
                  <jobId>{id}</jobId>
                </GetJobStatus>
              </soap:Body>
            </soap:Envelope>
            """;
        using var soap = gateway.CreateClient(apiKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/1.0/customerapi.asmx") { Content = new StringContent(envelope, Encoding.UTF8, "text/xml") };
        request.Headers.TryAddWithoutValidation("SOAPAction", "\"http://api.discountasp.net/GetJobStatus\"");

        var response = await soap.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        XNamespace ns = "http://api.discountasp.net/";
        Assert.Equal("Pending", XDocument.Parse(text).Descendants(ns + "Status").Single().Value);
    }

    private static async Task<JsonElement> GetDataAsync(HttpClient client, Guid id) =>
        (await ReadAsync(await client.GetAsync($"{JobsPath}/{id}"), HttpStatusCode.OK)).GetProperty("data");
}
