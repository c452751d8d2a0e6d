using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobGateway.Api.Tests.Infrastructure;

namespace JobGateway.Api.Tests.Contract;

/// <summary>
/// Every operation of the served document, driven to every status the document gives it that a client can provoke,
/// each answer checked against the document (<see cref="ContractRecorder"/>). An operation or a status the flow does
/// not reach fails the test, so a new endpoint or a newly documented status has to be provoked here too.
/// </summary>
public sealed class ContractCoverageTests
{
    // A 500 is documented everywhere and provoked nowhere: it takes a fault inside the gateway. 503 and 507 are
    // documented everywhere (every write, for 507) and take a database outage, a request timeout or a full database,
    // which this flow's host cannot have while it serves everything else: Resilience/DatabaseOutageTests (503 on every
    // dialect during a PostgreSQL restart), RequestTimeoutTests (503 request_timeout on every dialect) and
    // SqliteFullDiskTests (507 on every dialect) provoke them, each answer checked against this document.
    private static readonly HashSet<int> NotProvokable = [500, 503, 507];

    [Fact]
    public async Task EveryOperation_AnswersEveryDocumentedStatus_AsTheDocumentSays()
    {
        using var gateway = new SteppedGatewayFactory();
        var flow = new Flow(gateway);
        var contract = await gateway.Contract.ContractAsync();

        await flow.AuthenticationAndBodyErrorsAsync(contract);
        await flow.NativeJobsAsync();
        await flow.WorkerAsync();
        await flow.AdminAsync();
        await flow.ElasticPathAsync();
        await flow.AccountTasksAsync();
        await flow.CreateLimitsAsync();

        gateway.Contract.AssertNoViolations();
        var observed = gateway.Contract.Observed.ToHashSet();
        var missing = contract.OperationIds
            .SelectMany(id => contract.Named(id).Statuses.Where(s => !NotProvokable.Contains(s)).Select(s => (id, s)))
            .Where(pair => !observed.Contains(pair))
            .Select(pair => $"{pair.id} {pair.s}")
            .ToArray();
        Assert.True(missing.Length == 0, "Never answered: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task TheChecker_FindsAnswersTheDocumentDoesNotDescribe()
    {
        using var gateway = new GatewayFactory();
        var contract = await gateway.Contract.ContractAsync();
        var getJob = contract.Find("GET", $"/api/jobs/{Guid.NewGuid()}")!;
        var job = """{"id":"0b7e2f2c-1111-4aaa-8bbb-123456789abc","number":1,"type":"t","name":null,"status":"pending","done":false,"externalRef":null,"payload":null,"attempts":0,"progress":0,"cancellationRequested":false,"report":null,"error":null,"createdAt":"2026-01-05T09:00:00+00:00","updatedAt":"2026-01-05T09:00:00+00:00","startedAt":null,"finishedAt":null}""";
        string? NoHeader(string name) => null;

        Assert.Empty(contract.Check(getJob, 200, "application/json; charset=utf-8", NoHeader, Encoding.UTF8.GetBytes(job)));
        Assert.Contains(contract.Check(getJob, 418, "application/json", NoHeader, Encoding.UTF8.GetBytes(job)), p => p.Contains("not documented", StringComparison.Ordinal));
        Assert.Contains(contract.Check(getJob, 200, "text/plain", NoHeader, Encoding.UTF8.GetBytes(job)), p => p.Contains("content type", StringComparison.Ordinal));
        Assert.NotEmpty(contract.Check(getJob, 200, "application/json", NoHeader, Encoding.UTF8.GetBytes(job.Replace("\"pending\"", "\"queued\"", StringComparison.Ordinal))));
        Assert.NotEmpty(contract.Check(getJob, 200, "application/json", NoHeader, Encoding.UTF8.GetBytes(job.Replace("\"error\":null,", string.Empty, StringComparison.Ordinal))));
        Assert.NotEmpty(contract.Check(getJob, 200, "application/json", NoHeader, Encoding.UTF8.GetBytes(job.Replace("{\"id\"", "{\"extra\":1,\"id\"", StringComparison.Ordinal))));
        Assert.NotEmpty(contract.Check(getJob, 404, "application/problem+json", NoHeader, Encoding.UTF8.GetBytes("""{"type":"x","title":"Not Found","status":404}""")));
        Assert.NotEmpty(contract.Check(getJob, 404, null, NoHeader, []));

        var createJob = contract.Find("POST", "/api/jobs")!;
        Assert.Contains(contract.Check(createJob, 202, "application/json", NoHeader, Encoding.UTF8.GetBytes(job)), p => p.Contains("Location", StringComparison.Ordinal));

        var listTasks = contract.Find("GET", "/api/v2/admin/tasks/account")!;
        var xml = """<ResponseOfAccountTaskResponse><Error><ErrorCode>x</ErrorCode><ErrorReason>y</ErrorReason></Error></ResponseOfAccountTaskResponse>""";
        Assert.Contains(contract.Check(listTasks, 400, "application/xml", NoHeader, Encoding.UTF8.GetBytes(xml)), p => p.Contains("XML root", StringComparison.Ordinal));
    }

    /// <summary>The calls, with the keys of one tenant per role.</summary>
    private sealed class Flow(GatewayFactory gateway)
    {
        private readonly HttpClient _anonymous = gateway.CreateClient(apiKey: null);
        private readonly HttpClient _admin = gateway.CreateClient(GatewayFactory.AdminKey);
        private HttpClient _client = null!;
        private HttpClient _worker = null!;
        private HttpClient _clientOnly = null!;
        private HttpClient _workerOnly = null!;

        // Every operation: 401 without a key, 403 with a key that lacks its role; every body: 413 when too large and
        // 415 when not in a media type it reads.
        public async Task AuthenticationAndBodyErrorsAsync(OpenApiContract contract)
        {
            var tenant = await gateway.CreateTenantAsync("client", "worker");
            _client = gateway.CreateClient(tenant.ApiKey);
            _worker = _client;
            _clientOnly = gateway.CreateClient((await gateway.CreateTenantAsync("client")).ApiKey);
            _workerOnly = gateway.CreateClient((await gateway.CreateTenantAsync("worker")).ApiKey);

            foreach (var id in contract.OperationIds)
            {
                var operation = contract.Named(id);
                var path = operation.Template;
                foreach (var parameter in operation.Node["parameters"]?.AsArray() ?? [])
                {
                    path = path.Replace("{" + parameter!["name"]!.GetValue<string>() + "}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
                }

                var method = new HttpMethod(operation.Method);
                await ExpectAsync(401, _anonymous, method, path);
                var outsider = path.StartsWith("/api/worker", StringComparison.Ordinal) || path.StartsWith("/api/admin", StringComparison.Ordinal) ? _clientOnly : _workerOnly;
                await ExpectAsync(403, outsider, method, path);

                if (operation.Node["requestBody"] is not null)
                {
                    var insider = path.StartsWith("/api/admin", StringComparison.Ordinal) ? _admin : _client;
                    await ExpectAsync(413, insider, method, path, "{\"x\":\"" + new string('x', 1_100_000) + "\"}");
                    await ExpectAsync(415, insider, method, path, "hello", "text/plain");
                }
            }
        }

        public async Task NativeJobsAsync()
        {
            await ExpectAsync(400, _client, HttpMethod.Post, "/api/jobs", """{"name":"no type"}""");
            await ExpectAsync(400, _client, HttpMethod.Post, "/api/jobs", """{"type":"billing-run","external_ref":"x"}""");
            var job = await ExpectAsync(202, _client, HttpMethod.Post, "/api/jobs", """{"type":"billing-run"}""", idempotencyKey: "coverage");
            await ExpectAsync(202, _client, HttpMethod.Post, "/api/jobs", """{"type":"billing-run"}""", idempotencyKey: "coverage");
            await ExpectAsync(409, _client, HttpMethod.Post, "/api/jobs", """{"type":"tax-run"}""", idempotencyKey: "coverage");
            var id = Id(job);

            await ExpectAsync(200, _client, HttpMethod.Get, $"/api/jobs/{id}");
            await ExpectAsync(404, _client, HttpMethod.Get, "/api/jobs/not-a-guid");
            await ExpectAsync(200, _client, HttpMethod.Get, "/api/jobs?status=pending,running&type=billing-run&createdFrom=2020-01-01T00:00:00Z&pageSize=1");
            await ExpectAsync(400, _client, HttpMethod.Get, "/api/jobs?status=queued");
            await ExpectAsync(200, _client, HttpMethod.Get, $"/api/jobs/{id}/events");
            await ExpectAsync(404, _client, HttpMethod.Get, $"/api/jobs/{Guid.NewGuid()}/events");

            await ExpectAsync(200, _client, HttpMethod.Post, $"/api/jobs/{id}/cancel");
            await ExpectAsync(409, _client, HttpMethod.Post, $"/api/jobs/{id}/cancel");
            await ExpectAsync(404, _client, HttpMethod.Post, $"/api/jobs/{Guid.NewGuid()}/cancel");
            var running = await StartJobAsync("tax-run");
            await ExpectAsync(409, _client, HttpMethod.Delete, $"/api/jobs/{running}");
            await ExpectAsync(202, _client, HttpMethod.Post, $"/api/jobs/{running}/cancel");

            await ExpectAsync(204, _client, HttpMethod.Delete, $"/api/jobs/{id}");
            await ExpectAsync(404, _client, HttpMethod.Delete, $"/api/jobs/{id}");
        }

        public async Task WorkerAsync()
        {
            await ExpectAsync(400, _worker, HttpMethod.Post, "/api/worker/fetch", """{"workerId":"w","types":[]}""");
            await ExpectAsync(200, _worker, HttpMethod.Post, "/api/worker/fetch", """{"workerId":"w","types":["report-run"]}""");
            foreach (var (call, body) in new[]
            {
                ("heartbeat", """{"workerId":"w","progress":10}"""),
                ("complete", """{"workerId":"w","report":{"n":1}}"""),
                ("fail", """{"workerId":"w","error":{"code":"c","message":"m"},"retry":false}"""),
                ("cancelled", """{"workerId":"w"}"""),
            })
            {
                var job = await StartJobAsync("report-run", workerId: "w");
                if (call == "cancelled")
                {
                    await ExpectAsync(202, _client, HttpMethod.Post, $"/api/jobs/{job}/cancel");
                }

                await ExpectAsync(400, _worker, HttpMethod.Post, $"/api/worker/jobs/{job}/{call}", """{"workerId":""}""");
                await ExpectAsync(404, _worker, HttpMethod.Post, $"/api/worker/jobs/not-a-guid/{call}", body);
                await ExpectAsync(409, _worker, HttpMethod.Post, $"/api/worker/jobs/{job}/{call}", body.Replace("\"w\"", "\"someone-else\"", StringComparison.Ordinal));
                await ExpectAsync(200, _worker, HttpMethod.Post, $"/api/worker/jobs/{job}/{call}", body);
            }

            var held = await StartJobAsync("report-run", workerId: "w");
            await ExpectAsync(400, _worker, HttpMethod.Post, "/api/worker/complete", """{"workerId":"w","jobs":[]}""");
            await ExpectAsync(200, _worker, HttpMethod.Post, "/api/worker/complete", $$$"""{"workerId":"w","jobs":[{"id":"{{{held}}}","report":{"n":1}},{"id":"{{{Guid.NewGuid()}}}"}]}""");
        }

        public async Task AdminAsync()
        {
            var name = "coverage-" + Guid.NewGuid().ToString("N")[..8];
            var created = await ExpectAsync(201, _admin, HttpMethod.Post, "/api/admin/clients", $$"""{"name":"{{name}}","roles":["client","worker"]}""");
            await ExpectAsync(409, _admin, HttpMethod.Post, "/api/admin/clients", $$"""{"name":"{{name}}"}""");
            await ExpectAsync(400, _admin, HttpMethod.Post, "/api/admin/clients", """{"name":""}""");
            var clientId = created.GetProperty("client").GetProperty("id").GetGuid();
            var missing = Guid.NewGuid();

            await ExpectAsync(200, _admin, HttpMethod.Get, "/api/admin/clients");
            await ExpectAsync(200, _admin, HttpMethod.Get, $"/api/admin/clients/{clientId}");
            await ExpectAsync(404, _admin, HttpMethod.Get, "/api/admin/clients/not-a-guid");
            await ExpectAsync(200, _admin, HttpMethod.Post, $"/api/admin/clients/{clientId}/disable");
            await ExpectAsync(404, _admin, HttpMethod.Post, $"/api/admin/clients/{missing}/disable");
            await ExpectAsync(200, _admin, HttpMethod.Post, $"/api/admin/clients/{clientId}/enable");
            await ExpectAsync(404, _admin, HttpMethod.Post, $"/api/admin/clients/{missing}/enable");
            var key = await ExpectAsync(201, _admin, HttpMethod.Post, $"/api/admin/clients/{clientId}/keys", """{"name":"k","roles":["worker"]}""");
            await ExpectAsync(400, _admin, HttpMethod.Post, $"/api/admin/clients/{clientId}/keys", """{"roles":["root"]}""");
            await ExpectAsync(404, _admin, HttpMethod.Post, $"/api/admin/clients/{missing}/keys", "{}");
            await ExpectAsync(200, _admin, HttpMethod.Get, $"/api/admin/clients/{clientId}/keys");
            await ExpectAsync(404, _admin, HttpMethod.Get, $"/api/admin/clients/{missing}/keys");
            await ExpectAsync(200, _admin, HttpMethod.Put, $"/api/admin/clients/{clientId}/webhook", """{"url":"https://example.com/hooks","notification":"ON_FAILURE"}""");
            await ExpectAsync(400, _admin, HttpMethod.Put, $"/api/admin/clients/{clientId}/webhook", """{"url":"ftp://example.com"}""");
            await ExpectAsync(404, _admin, HttpMethod.Put, $"/api/admin/clients/{missing}/webhook", "{}");
            await ExpectAsync(200, _admin, HttpMethod.Put, $"/api/admin/clients/{clientId}/limits", """{"createsPerSecond":100,"createBurst":200,"maxPendingJobs":null}""");
            await ExpectAsync(400, _admin, HttpMethod.Put, $"/api/admin/clients/{clientId}/limits", """{"createBurst":0}""");
            await ExpectAsync(404, _admin, HttpMethod.Put, $"/api/admin/clients/{missing}/limits", "{}");
            await ExpectAsync(204, _admin, HttpMethod.Delete, $"/api/admin/clients/{clientId}/keys/{Id(key)}");
            await ExpectAsync(404, _admin, HttpMethod.Delete, $"/api/admin/clients/{clientId}/keys/{missing}");
        }

        public async Task ElasticPathAsync()
        {
            const string Jobs = "/v2/subscriptions/jobs";

            // A finished billing run shows its report in Elastic Path's shape; a started payment run cannot be deleted.
            var reported = await StartJobAsync("billing-run");
            await ExpectAsync(200, _worker, HttpMethod.Post, $"/api/worker/jobs/{reported}/complete", """{"workerId":"coverage","report":{"invoices_ready_for_payment":3,"total_ready_for_payment":{"USD":{"amount":300,"includes_tax":true}}}}""");
            await ExpectAsync(200, _client, HttpMethod.Get, $"{Jobs}/{reported}");
            var running = await StartJobAsync("payment-run");
            await ExpectAsync(409, _client, HttpMethod.Delete, $"{Jobs}/{running}");

            var body = """{"data":{"type":"subscription_job","attributes":{"job_type":"billing-run","external_ref":"cov","taxes":[{"invoice_id":"11111111-2222-3333-4444-555555555555","tax_items":[{"type":"tax_item","name":"GST","rate":0.2}]}]}}}""";
            var created = await ExpectAsync(201, _client, HttpMethod.Post, Jobs, body, "application/vnd.api+json", idempotencyKey: "ep-coverage");
            await ExpectAsync(201, _client, HttpMethod.Post, Jobs, body, idempotencyKey: "ep-coverage");
            await ExpectAsync(409, _client, HttpMethod.Post, Jobs, body.Replace("billing-run", "tax-run", StringComparison.Ordinal), idempotencyKey: "ep-coverage");
            await ExpectAsync(400, _client, HttpMethod.Post, Jobs, """{"data":{"type":"subscription_job","attributes":{}}}""");
            var id = created.GetProperty("data").GetProperty("id").GetGuid();

            await ExpectAsync(200, _client, HttpMethod.Get, $"{Jobs}/{id}");
            await ExpectAsync(404, _client, HttpMethod.Get, $"{Jobs}/not-a-guid");
            await ExpectAsync(200, _client, HttpMethod.Get, $"{Jobs}?page[offset]=0&page[limit]=10&filter=eq(external_ref,cov)");
            await ExpectAsync(400, _client, HttpMethod.Get, $"{Jobs}?filter=eq(external_ref");
            await ExpectAsync(204, _client, HttpMethod.Delete, $"{Jobs}/{id}");
            await ExpectAsync(404, _client, HttpMethod.Delete, $"{Jobs}/{id}");
        }

        public async Task AccountTasksAsync()
        {
            const string Tasks = "/api/v2/admin/tasks/account";
            var task = Guid.NewGuid();
            string Body(Guid taskId) => $$"""{"TaskID":"{{taskId}}","Frequency":"DAILY","Parameters":"{\"a\":1}","ContentType":"application/json"}""";
            var created = await ExpectAsync(201, _client, HttpMethod.Post, Tasks, Body(task));
            await ExpectAsync(409, _client, HttpMethod.Post, Tasks, Body(task));
            await ExpectAsync(400, _client, HttpMethod.Post, Tasks, """{"Frequency":"SOMETIMES"}""");
            var other = await ExpectAsync(201, _client, HttpMethod.Post, Tasks, $"<AccountTaskRequest><TaskID>{Guid.NewGuid()}</TaskID><Frequency>NONE</Frequency><Parameters>&lt;a/&gt;</Parameters><ContentType>application/xml</ContentType></AccountTaskRequest>", "application/xml", accept: "application/json");
            var id = TaskId(created);
            var missing = Guid.NewGuid();

            await ExpectAsync(200, _client, HttpMethod.Get, $"{Tasks}?offset=0&limit=10");
            await ExpectAsync(200, _client, HttpMethod.Get, Tasks, accept: "text/xml");
            await ExpectAsync(400, _client, HttpMethod.Get, $"{Tasks}?limit=0", accept: "application/xml");
            await ExpectAsync(200, _client, HttpMethod.Get, $"{Tasks}/{id}");
            await ExpectAsync(404, _client, HttpMethod.Get, $"{Tasks}/not-a-guid", accept: "application/xml");
            await ExpectAsync(200, _client, HttpMethod.Put, $"{Tasks}/{id}", Body(task));
            await ExpectAsync(400, _client, HttpMethod.Put, $"{Tasks}/{id}", """{"TaskID":"x"}""");
            await ExpectAsync(404, _client, HttpMethod.Put, $"{Tasks}/{missing}", Body(Guid.NewGuid()));
            await ExpectAsync(409, _client, HttpMethod.Put, $"{Tasks}/{TaskId(other)}", Body(task));
            await ExpectAsync(202, _client, HttpMethod.Post, $"{Tasks}/run?id={id}");
            await ExpectAsync(404, _client, HttpMethod.Post, $"{Tasks}/run?id={missing}");
            await ExpectAsync(200, _client, HttpMethod.Post, $"{Tasks}/{id}/disable");
            await ExpectAsync(404, _client, HttpMethod.Post, $"{Tasks}/{missing}/disable");
            await ExpectAsync(200, _client, HttpMethod.Post, $"{Tasks}/{id}/enable");
            await ExpectAsync(404, _client, HttpMethod.Post, $"{Tasks}/{missing}/enable");
            await ExpectAsync(200, _client, HttpMethod.Delete, $"{Tasks}/{id}");
            await ExpectAsync(404, _client, HttpMethod.Delete, $"{Tasks}/{id}");
        }

        // A client with a cap of one Pending job: once it has one, every create of every surface is refused (the rate
        // limit answers the same 429 in the same shapes; CreateLimitTests drives both).
        public async Task CreateLimitsAsync()
        {
            const string Tasks = "/api/v2/admin/tasks/account";
            string NewTask() => $$"""{"TaskID":"{{Guid.NewGuid()}}","Frequency":"DAILY","Parameters":"{\"a\":1}","ContentType":"application/json"}""";
            var tenant = await gateway.CreateTenantAsync("client");
            await ExpectAsync(200, _admin, HttpMethod.Put, $"/api/admin/clients/{tenant.ClientId}/limits", """{"maxPendingJobs":1}""");
            var capped = gateway.CreateClient(tenant.ApiKey);
            var task = TaskId(await ExpectAsync(201, capped, HttpMethod.Post, Tasks, NewTask()));
            await ExpectAsync(202, capped, HttpMethod.Post, "/api/jobs", """{"type":"billing-run"}""");

            await ExpectAsync(429, capped, HttpMethod.Post, "/api/jobs", """{"type":"billing-run"}""");
            await ExpectAsync(429, capped, HttpMethod.Post, "/v2/subscriptions/jobs", """{"data":{"type":"subscription_job","attributes":{"job_type":"tax-run"}}}""");
            await ExpectAsync(429, capped, HttpMethod.Post, Tasks, NewTask());
            await ExpectAsync(429, capped, HttpMethod.Post, Tasks, NewTask(), accept: "application/xml");
            await ExpectAsync(429, capped, HttpMethod.Post, $"{Tasks}/run?id={task}");
        }

        // A job of an externally run type, created and fetched so that it is running, locked by workerId.
        private async Task<Guid> StartJobAsync(string type, string workerId = "coverage")
        {
            var id = Id(await ExpectAsync(202, _client, HttpMethod.Post, "/api/jobs", $$"""{"type":"{{type}}"}"""));
            for (var attempt = 0; attempt < 50; attempt++)
            {
                var fetched = await ExpectAsync(200, _worker, HttpMethod.Post, "/api/worker/fetch", $$"""{"workerId":"{{workerId}}","types":["{{type}}"]}""");
                if (fetched.EnumerateArray().Any(j => Id(j) == id))
                {
                    return id;
                }
            }

            throw new InvalidOperationException($"Job {id} was never fetched.");
        }

        private static Guid Id(JsonElement job) => job.GetProperty("id").GetGuid();

        private static Guid TaskId(JsonElement envelope) => envelope.GetProperty("ResponseData").GetProperty("Detail").GetProperty("ID").GetGuid();

        private static async Task<JsonElement> ExpectAsync(
            int status, HttpClient client, HttpMethod method, string path, string? body = null, string contentType = "application/json", string? idempotencyKey = null, string? accept = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }

            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }

            if (accept is not null)
            {
                request.Headers.Accept.ParseAdd(accept);
            }

            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == status, $"{method} {path}: expected {status}, got {(int)response.StatusCode}: {text}");
            return response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true && text.Length > 0
                ? JsonDocument.Parse(text).RootElement.Clone()
                : default;
        }
    }
}
