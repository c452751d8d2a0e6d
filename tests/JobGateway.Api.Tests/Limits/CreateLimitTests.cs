using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using JobGateway.Api.Tests.AccountTasks;
using JobGateway.Api.Tests.ElasticPath;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Jobs;
using JobGateway.Api.Tests.Soap;
using static JobGateway.Api.Tests.Limits.LimitsTestSupport;

namespace JobGateway.Api.Tests.Limits;

/// <summary>
/// A client over its rate limit or its cap of Pending jobs is refused in its own dialect, with Retry-After, and
/// nothing is stored. The host's background loops are off, so no job leaves Pending unless a test moves it.
/// </summary>
public sealed class CreateLimitTests(SteppedGatewayFactory gateway) : IClassFixture<SteppedGatewayFactory>
{
    private static readonly XNamespace Soap12 = Envelopes.Soap12Ns;

    [Fact]
    public async Task SetLimits_StoresTheClientsOwnLimits_AndNullGoesBackToTheDefault()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);

        var set = await JobsApiTests.ReadJsonAsync(await admin.PutAsJsonAsync(
            $"/api/admin/clients/{tenant.ClientId}/limits", new { createsPerSecond = 10, createBurst = 20, maxPendingJobs = 30 }));
        var read = await JobsApiTests.ReadJsonAsync(await admin.GetAsync($"/api/admin/clients/{tenant.ClientId}"));
        var cleared = await JobsApiTests.ReadJsonAsync(await admin.PutAsJsonAsync(
            $"/api/admin/clients/{tenant.ClientId}/limits", new { createBurst = 5 }));

        Assert.Equal("""{"createsPerSecond":10,"createBurst":20,"maxPendingJobs":30}""", set.GetProperty("limits").GetRawText());
        Assert.Equal(set.GetProperty("limits").GetRawText(), read.GetProperty("limits").GetRawText());
        Assert.Equal("""{"createsPerSecond":null,"createBurst":5,"maxPendingJobs":null}""", cleared.GetProperty("limits").GetRawText());
    }

    [Fact]
    public async Task SetLimits_RefusesLimitsBelowOne_AndUnknownClients()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);

        var zero = await admin.PutAsJsonAsync($"/api/admin/clients/{tenant.ClientId}/limits", new { createsPerSecond = 0, maxPendingJobs = -1 });
        var missing = await admin.PutAsJsonAsync($"/api/admin/clients/{Guid.NewGuid()}/limits", new { createBurst = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        var errors = (await JobsApiTests.ReadProblemAsync(zero)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("createsPerSecond", out _));
        Assert.True(errors.TryGetProperty("maxPendingJobs", out _));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var unchanged = await JobsApiTests.ReadJsonAsync(await admin.GetAsync($"/api/admin/clients/{tenant.ClientId}"));
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("limits").GetProperty("createsPerSecond").ValueKind);
    }

    [Fact]
    public async Task NativeCreate_OverTheRate_Is429ProblemWithRetryAfter_AndStoresNothing()
    {
        var tenant = await LimitedTenantAsync(gateway, new { createsPerSecond = 1, createBurst = 3 });
        using var client = gateway.CreateClient(tenant.ApiKey);

        var (accepted, refused, seconds) = await CreateUntilRefusedAsync(
            () => client.PostAsJsonAsync("/api/jobs", new { type = "billing-run" }), HttpStatusCode.Accepted);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(accepted, 3, 3 + (int)Math.Ceiling(seconds) + 1);
        Assert.InRange(RetryAfterSeconds(refused), 1, 2);
        var problem = await JobsApiTests.ReadProblemAsync(refused);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.Contains("Retry later", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(accepted, (await JobsAsync(client)).Length);
    }

    [Fact]
    public async Task NativeCreate_PastThePendingCap_Is429TooManyPending_UntilAJobLeavesPending()
    {
        var tenant = await LimitedTenantAsync(gateway, new { maxPendingJobs = 2 });
        using var client = gateway.CreateClient(tenant.ApiKey);
        var first = await JobsApiTests.CreateAsync(client, "billing-run");
        await JobsApiTests.CreateAsync(client, "billing-run");

        var refused = await client.PostAsJsonAsync("/api/jobs", new { type = "billing-run", name = "third" });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(5, RetryAfterSeconds(refused));
        var problem = await JobsApiTests.ReadProblemAsync(refused);
        Assert.Equal("too_many_pending", problem.GetProperty("code").GetString());
        Assert.Contains("Retry later", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await JobsAsync(client)).Length);

        // One job leaves Pending: within a recount the client may create one more, and no more than that.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/jobs/{first.GetProperty("id").GetGuid()}/cancel", null)).StatusCode);
        await PollAsync(async () => (await client.PostAsJsonAsync("/api/jobs", new { type = "billing-run" })).StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsJsonAsync("/api/jobs", new { type = "billing-run" })).StatusCode);
        Assert.Equal(2, (await JobsAsync(client)).Count(j => j.GetProperty("status").GetString() == "pending"));
    }

    [Fact]
    public async Task NativeCreate_WithBadInputPastTheCap_IsTheValidationError()
    {
        var tenant = await LimitedTenantAsync(gateway, new { maxPendingJobs = 1 });
        using var client = gateway.CreateClient(tenant.ApiKey);
        await JobsApiTests.CreateAsync(client, "billing-run");

        var response = await client.PostAsJsonAsync("/api/jobs", new { name = "no type" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ElasticPathCreate_OverTheLimits_Is429InItsErrorsDocument_AndStoresNothing()
    {
        var rated = await LimitedTenantAsync(gateway, new { createsPerSecond = 1, createBurst = 1 });
        using var ratedClient = gateway.CreateClient(rated.ApiKey);
        var capped = await LimitedTenantAsync(gateway, new { maxPendingJobs = 1 });
        using var cappedClient = gateway.CreateClient(capped.ApiKey);
        await ElasticPathTestSupport.CreateAsync(cappedClient);

        var (accepted, overRate, _) = await CreateUntilRefusedAsync(
            () => ElasticPathTestSupport.PostAsync(ratedClient, ElasticPathTestSupport.Body()), HttpStatusCode.Created);
        var pastCap = await ElasticPathTestSupport.PostAsync(cappedClient, ElasticPathTestSupport.Body("tax-run"), "application/vnd.api+json");

        foreach (var (refused, detail) in new[] { (overRate, "Too many creates"), (pastCap, "Too many pending jobs") })
        {
            Assert.InRange(RetryAfterSeconds(refused), 1, 5);
            var error = await ElasticPathTestSupport.ReadErrorAsync(refused, HttpStatusCode.TooManyRequests);
            Assert.Equal("Too Many Requests", error.GetProperty("title").GetString());
            Assert.StartsWith(detail, error.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains("Retry later", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(accepted, await ElasticPathTestSupport.CountAllJobsAsync(ratedClient));
        Assert.Equal(1, await ElasticPathTestSupport.CountAllJobsAsync(cappedClient));
    }

    [Fact]
    public async Task TwoSmsTaskCreateAndRun_PastTheCap_Are429InTheEnvelope_JsonAndXml_AndStoreNothing()
    {
        var tenant = await LimitedTenantAsync(gateway, new { maxPendingJobs = 1 });
        using var client = gateway.CreateClient(tenant.ApiKey);
        var task = await AccountTaskTestSupport.CreateAsync(client);
        var run = await client.PostAsync($"{AccountTaskTestSupport.TasksPath}/run?id={task.GetProperty("ID").GetGuid()}", null);
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);

        var runAgain = await client.PostAsync($"{AccountTaskTestSupport.TasksPath}/run?id={task.GetProperty("ID").GetGuid()}", null);
        var createJson = await AccountTaskTestSupport.PostJsonAsync(client, AccountTaskTestSupport.ValidJson());
        var createXml = await AccountTaskTestSupport.SendAsync(
            client, HttpMethod.Post, AccountTaskTestSupport.TasksPath, AccountTaskTestSupport.ValidXml(Guid.NewGuid()), "application/xml");

        foreach (var refused in new[] { runAgain, createJson })
        {
            Assert.Equal(5, RetryAfterSeconds(refused));
            var (code, reason) = await AccountTaskTestSupport.ReadJsonErrorAsync(refused, HttpStatusCode.TooManyRequests);
            Assert.Equal("too_many_pending", code);
            Assert.Contains("Retry later", reason, StringComparison.Ordinal);
        }

        Assert.Equal(5, RetryAfterSeconds(createXml));
        var error = (await AccountTaskTestSupport.ReadXmlAsync(createXml, HttpStatusCode.TooManyRequests)).Element("Error")!;
        Assert.Equal("too_many_pending", error.Element("ErrorCode")?.Value);
        Assert.Contains("Retry later", error.Element("ErrorReason")?.Value, StringComparison.Ordinal);
        Assert.Equal(1, await AccountTaskTestSupport.CountTasksAsync(client));
        Assert.Single(await JobsAsync(client));
    }

    [Fact]
    public async Task TwoSmsTaskCreate_OverTheRate_Is429RateLimitedInTheEnvelope()
    {
        var tenant = await LimitedTenantAsync(gateway, new { createsPerSecond = 1, createBurst = 2 });
        using var client = gateway.CreateClient(tenant.ApiKey);

        var (accepted, refused, _) = await CreateUntilRefusedAsync(
            () => AccountTaskTestSupport.PostJsonAsync(client, AccountTaskTestSupport.ValidJson()), HttpStatusCode.Created);

        var (code, reason) = await AccountTaskTestSupport.ReadJsonErrorAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_limited", code);
        Assert.Contains("Retry later", reason, StringComparison.Ordinal);
        Assert.InRange(RetryAfterSeconds(refused), 1, 2);
        Assert.Equal(accepted, await AccountTaskTestSupport.CountTasksAsync(client));
    }

    [Fact]
    public async Task T2AJobCreate_PastTheCap_IsAServerFaultWith503AndRetryAfter_OnEveryBinding_AndStoresNothing()
    {
        var tenant = await LimitedTenantAsync(gateway, new { maxPendingJobs = 1 });
        using var http = gateway.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await Soap11JobCreateAsync(http, tenant)).StatusCode);

        using var soap11 = await Soap11JobCreateAsync(http, tenant);
        using var soap12 = await SendAsync(http, HttpMethod.Post, SoapHttp.T2APath, Envelopes.Soap12(Envelopes.JobCreate(tenant.ApiKey, "c")), Envelopes.Soap12Type);
        using var get = await SendAsync(http, HttpMethod.Get, $"{SoapHttp.T2APath}/job_create?api_key={Uri.EscapeDataString(tenant.ApiKey)}&client=c", null, null);
        using var post = await SendAsync(
            http, HttpMethod.Post, $"{SoapHttp.T2APath}/job_create", $"api_key={Uri.EscapeDataString(tenant.ApiKey)}&client=c", "application/x-www-form-urlencoded");

        var fault11 = await FaultAsync(soap11, "text/xml");
        Assert.Equal("soap:Server", fault11.Element("faultcode")?.Value);
        Assert.Contains("Retry later", fault11.Element("faultstring")?.Value, StringComparison.Ordinal);
        var fault12 = await FaultAsync(soap12, "application/soap+xml");
        Assert.Equal("soap12:Receiver", fault12.Element(Soap12 + "Code")?.Element(Soap12 + "Value")?.Value);
        Assert.Contains("Retry later", fault12.Element(Soap12 + "Reason")?.Element(Soap12 + "Text")?.Value, StringComparison.Ordinal);
        foreach (var plain in new[] { get, post })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, plain.StatusCode);
            Assert.Equal("text/plain", plain.Content.Headers.ContentType?.MediaType);
            Assert.Equal(5, RetryAfterSeconds(plain));
            Assert.StartsWith("Too many pending jobs", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var client = gateway.CreateClient(tenant.ApiKey);
        Assert.Single(await JobsAsync(client));
    }

    [Fact]
    public async Task T2AJobCreate_OverTheRate_IsAServerFaultWith503()
    {
        var tenant = await LimitedTenantAsync(gateway, new { createsPerSecond = 1, createBurst = 2 });
        using var http = gateway.CreateClient();

        var (accepted, refused, _) = await CreateUntilRefusedAsync(() => Soap11JobCreateAsync(http, tenant), HttpStatusCode.OK);

        var fault = await FaultAsync(refused, "text/xml");
        Assert.Equal("soap:Server", fault.Element("faultcode")?.Value);
        Assert.StartsWith("Too many creates", fault.Element("faultstring")?.Value, StringComparison.Ordinal);
        Assert.InRange(RetryAfterSeconds(refused), 1, 2);
        using var client = gateway.CreateClient(tenant.ApiKey);
        Assert.Equal(accepted, (await JobsAsync(client)).Length);
    }

    [Fact]
    public async Task OneClient_HasOneBudget_AcrossRestAndSoap()
    {
        var tenant = await LimitedTenantAsync(gateway, new { createsPerSecond = 1, createBurst = 2 });
        using var client = gateway.CreateClient(tenant.ApiKey);
        using var http = gateway.CreateClient();

        // Native creates empty the bucket; the SOAP create right after draws from the same one. A token may come back
        // between the two on a slow machine, so the pair is tried a few times; separate budgets would never refuse it.
        string? refusedSoap = null;
        for (var attempt = 0; attempt < 5 && refusedSoap is null; attempt++)
        {
            var (_, refused, _) = await CreateUntilRefusedAsync(() => client.PostAsJsonAsync("/api/jobs", new { type = "t2a" }), HttpStatusCode.Accepted);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            using var soap = await Soap11JobCreateAsync(http, tenant);
            if (soap.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                refusedSoap = (await FaultAsync(soap, "text/xml")).Element("faultstring")?.Value;
            }
        }

        Assert.StartsWith("Too many creates", refusedSoap, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneClientAtItsLimits_DoesNotRefuseAnother()
    {
        var flooder = await LimitedTenantAsync(gateway, new { createsPerSecond = 1, createBurst = 1, maxPendingJobs = 1 });
        using var flooding = gateway.CreateClient(flooder.ApiKey);
        await CreateUntilRefusedAsync(() => flooding.PostAsJsonAsync("/api/jobs", new { type = "billing-run" }), HttpStatusCode.Accepted);
        var other = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(other.ApiKey);

        for (var i = 0; i < 20; i++)
        {
            await JobsApiTests.CreateAsync(client, "billing-run");
        }

        Assert.Equal(20, (await JobsAsync(client)).Length);
    }

    private static Task<HttpResponseMessage> Soap11JobCreateAsync(HttpClient http, TestTenant tenant) =>
        SendAsync(http, HttpMethod.Post, SoapHttp.T2APath, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "c")), Envelopes.Soap11Type);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? body, string? contentType)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }

        return await http.SendAsync(request);
    }

    /// <summary>The Fault of a 503 SOAP reply with Retry-After, after checking that it says nothing of the gateway's insides.</summary>
    private static async Task<XElement> FaultAsync(HttpResponseMessage reply, string mediaType)
    {
        var text = await reply.Content.ReadAsStringAsync();
        Assert.True(reply.StatusCode == HttpStatusCode.ServiceUnavailable, $"expected 503, got {(int)reply.StatusCode}: {text}");
        Assert.Equal(mediaType, reply.Content.Headers.ContentType?.MediaType);
        Assert.InRange(RetryAfterSeconds(reply), 1, 5);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        var body = XDocument.Parse(text).Root!.Elements().Single(e => e.Name.LocalName == "Body");
        return body.Elements().Single(e => e.Name.LocalName == "Fault");
    }

    private static async Task PollAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 15 s.");
            await Task.Delay(100);
        }
    }
}
