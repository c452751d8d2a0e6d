using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobGateway.Api.Tests.Infrastructure;

namespace JobGateway.Api.Tests.Contract;

/// <summary>
/// What the document promises a client who reads it: every request example works as shown, the native API refuses
/// the members its schemas do not have (additionalProperties: false), and an id that is not a GUID is a 404 in the
/// surface's own error format.
/// </summary>
public sealed class DocumentedBehaviourTests
{
    [Fact]
    public async Task EveryRequestExample_SucceedsAsShown()
    {
        using var gateway = new SteppedGatewayFactory();
        var contract = await gateway.Contract.ContractAsync();
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var client = gateway.CreateClient(tenant.ApiKey);
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);

        // The path parameters the examples need: a job the example worker has fetched (one per worker call, since
        // completing, failing or confirming a cancellation ends its lock), a client, a task.
        var examples = contract.OperationIds
            .Select(id => (Operation: contract.Named(id), Body: contract.Named(id).Node["requestBody"]?["content"]?.AsObject()))
            .Where(o => o.Body is not null)
            .ToArray();
        Assert.NotEmpty(examples);
        Guid? taskId = null;
        foreach (var (operation, content) in examples.OrderBy(o => o.Operation.Id == "FetchJobs" ? 0 : 1))
        {
            foreach (var (mediaType, media) in content!)
            {
                if (media!["example"] is not { } example)
                {
                    Assert.EndsWith("xml", mediaType, StringComparison.Ordinal);
                    continue;
                }

                var caller = operation.Template.StartsWith("/api/admin", StringComparison.Ordinal) ? admin : client;
                if (operation.Id == "CompleteJobs")
                {
                    // The example completes a job the example worker holds: this one.
                    example = example.DeepClone();
                    example["jobs"]![0]!["id"] = await FetchedJobAsync(client);
                }

                var path = await PathForAsync(operation, client, tenant, taskId);
                var body = mediaType == "application/x-www-form-urlencoded"
                    ? (HttpContent)new FormUrlEncodedContent(example.AsObject().Select(m => KeyValuePair.Create(m.Key, m.Value?.ToString() ?? string.Empty)))
                    : new StringContent(example.ToJsonString(), Encoding.UTF8, mediaType);
                if (operation.Id == "CreateAccountTask" && taskId is not null)
                {
                    // The example's TaskID is unique per client: the other media types post it once the first is gone.
                    await client.DeleteAsync($"/api/v2/admin/tasks/account/{taskId}");
                }

                using var response = await caller.SendAsync(new HttpRequestMessage(new HttpMethod(operation.Method), path) { Content = body });
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, $"{operation.Id} {mediaType} example: {(int)response.StatusCode} {text}");
                if (operation.Id == "CompleteJobs")
                {
                    Assert.Null(JsonNode.Parse(text)![0]!["error"]);
                }

                if (operation.Id == "CreateAccountTask")
                {
                    taskId = JsonDocument.Parse(text).RootElement.GetProperty("ResponseData").GetProperty("Detail").GetProperty("ID").GetGuid();
                }
            }
        }
    }

    [Fact]
    public async Task EveryParameterExample_SucceedsAsShown()
    {
        using var gateway = new GatewayFactory();
        var contract = await gateway.Contract.ContractAsync();
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var examples = contract.OperationIds
            .Select(contract.Named)
            .SelectMany(o => (o.Node["parameters"]?.AsArray() ?? []).Where(p => p!["example"] is not null).Select(p => (Operation: o, Parameter: p!)))
            .ToList();
        Assert.NotEmpty(examples);
        foreach (var (operation, parameter) in examples)
        {
            Assert.Equal("query", parameter["in"]!.GetValue<string>());
            var query = $"{Uri.EscapeDataString(parameter["name"]!.GetValue<string>())}={Uri.EscapeDataString(parameter["example"]!.ToString())}";
            using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(operation.Method), $"{operation.Template}?{query}"));
            Assert.True(response.IsSuccessStatusCode, $"{operation.Id} {query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task NativeBodies_WithMembersTheSchemaDoesNotHave_Get400NamingThem()
    {
        using var gateway = new GatewayFactory();
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var client = gateway.CreateClient(tenant.ApiKey);

        using var create = await client.PostAsync("/api/jobs", Json("""{"type":"billing-run","external_ref":"x","Name":"kept"}"""));
        var problem = await ProblemAsync(create, HttpStatusCode.BadRequest, "unknown_member");
        Assert.Equal(["external_ref"], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("'external_ref'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("externalRef", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var fail = await client.PostAsync($"/api/worker/jobs/{Guid.NewGuid()}/fail", Json("""{"workerId":"w","error":{"code":"c","message":"m","reason":"r"},"retries":2}"""));
        problem = await ProblemAsync(fail, HttpStatusCode.BadRequest, "unknown_member");
        Assert.Equal(["error.reason", "retries"], problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));

        using var list = await client.GetAsync("/api/jobs?externalRef=x");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Empty(JsonNode.Parse(await list.Content.ReadAsStringAsync())!["items"]!.AsArray());
    }

    [Fact]
    public async Task VendorBodies_WithMembersTheVendorsDoNotDefine_AreAcceptedAndTheMembersIgnored()
    {
        using var gateway = new GatewayFactory();
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        // Elastic Path: members beside the JSON:API document's and the attributes' own are ignored.
        var job = JsonNode.Parse(ElasticPath.ElasticPathTestSupport.Body(externalRef: "ep-extra"))!;
        job["meta"] = new JsonObject { ["source"] = "test" };
        job["data"]!["attributes"]!["colour"] = "red";
        using var elasticPath = await client.PostAsync("/v2/subscriptions/jobs", new StringContent(job.ToJsonString(), Encoding.UTF8, "application/vnd.api+json"));
        var created = JsonNode.Parse(await elasticPath.Content.ReadAsStringAsync())!;
        Assert.True(elasticPath.StatusCode == HttpStatusCode.Created, created.ToJsonString());
        Assert.Equal("ep-extra", created["data"]!["attributes"]!["external_ref"]!.GetValue<string>());
        Assert.Null(created["data"]!["attributes"]!["colour"]);

        // 2sms: members an AccountTaskRequest does not have, in JSON and in XML, are ignored as Web API's formatters did.
        var task = AccountTasks.AccountTaskTestSupport.ValidJson();
        task["Colour"] = "red";
        using var json = await AccountTasks.AccountTaskTestSupport.PostJsonAsync(client, task);
        Assert.Equal(HttpStatusCode.Created, json.StatusCode);
        var xml = AccountTasks.AccountTaskTestSupport.ValidXml(Guid.NewGuid()).Replace("<Notification>", "<Colour>red</Colour><Notification>", StringComparison.Ordinal);
        using var inXml = await AccountTasks.AccountTaskTestSupport.SendAsync(client, HttpMethod.Post, AccountTasks.AccountTaskTestSupport.TasksPath, xml, "application/xml");
        Assert.Equal(HttpStatusCode.Created, inXml.StatusCode);
    }

    [Fact]
    public async Task RequestSchemas_ForbidOtherMembers_ExactlyWhereTheGatewayRefusesThem()
    {
        using var gateway = new GatewayFactory();
        var contract = await gateway.Contract.ContractAsync();
        var schemas = contract.Document["components"]!["schemas"]!.AsObject();

        // Every schema a request body reaches, through $ref, properties and items.
        var reached = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<JsonNode>(contract.OperationIds
            .SelectMany(id => contract.Named(id).Node["requestBody"]?["content"]?.AsObject().Select(c => c.Value!["schema"]!) ?? []));
        while (pending.TryPop(out var schema))
        {
            if (schema["$ref"]?.GetValue<string>() is { } reference)
            {
                var name = reference[(reference.LastIndexOf('/') + 1)..];
                if (reached.Add(name))
                {
                    pending.Push(schemas[name]!);
                }

                continue;
            }

            foreach (var child in (schema["properties"]?.AsObject().Select(p => p.Value!) ?? []).Concat(schema["items"] is { } items ? [items] : []))
            {
                pending.Push(child);
            }
        }

        var refusing = typeof(JobGateway.Rest.RestModule).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonUnmappedMemberHandlingAttribute), false)
                .Cast<System.Text.Json.Serialization.JsonUnmappedMemberHandlingAttribute>()
                .Any(a => a.UnmappedMemberHandling == System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow))
            .Select(t => t.Name)
            .ToHashSet(StringComparer.Ordinal);
        var objects = reached.Where(name => schemas[name]!["properties"] is not null).ToList();
        Assert.Contains("CreateJobRequest", objects);
        Assert.Contains("SubscriptionJobCreateAttributes", objects);
        Assert.All(objects, name => Assert.True(
            refusing.Contains(name) == (schemas[name]!["additionalProperties"]?.GetValue<bool>() == false),
            $"{name}: additionalProperties {schemas[name]!["additionalProperties"]?.ToJsonString() ?? "absent"}, refuses unknown members: {refusing.Contains(name)}"));
    }

    [Theory]
    [InlineData("GET", "/api/jobs/not-a-guid/events", "job_not_found")]
    [InlineData("POST", "/api/admin/clients/not-a-guid/disable", "client_not_found")]
    [InlineData("GET", "/api/admin/clients/not-a-guid/keys", "client_not_found")]
    [InlineData("DELETE", "/api/admin/clients/not-a-guid/keys/not-a-guid", "key_not_found")]
    [InlineData("GET", "/api/jobs/not-a-guid", "job_not_found")]
    [InlineData("POST", "/api/jobs/not-a-guid/cancel", "job_not_found")]
    [InlineData("DELETE", "/api/jobs/not-a-guid", "job_not_found")]
    [InlineData("GET", "/api/admin/clients/not-a-guid", "client_not_found")]
    public async Task IdsThatAreNotGuids_Get404ProblemDetails(string method, string path, string code)
    {
        using var gateway = new GatewayFactory();
        using var client = gateway.CreateClient(GatewayFactory.AdminKey);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound, code);
        Assert.Contains("not-a-guid", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<string> PathForAsync(OpenApiContract.Operation operation, HttpClient client, TestTenant tenant, Guid? taskId)
    {
        var path = operation.Template
            .Replace("{clientId}", tenant.ClientId.ToString(), StringComparison.Ordinal)
            .Replace("{keyId}", tenant.KeyId.ToString(), StringComparison.Ordinal);
        if (path.StartsWith("/api/v2/admin/tasks/account/{id}", StringComparison.Ordinal))
        {
            return path.Replace("{id}", taskId!.ToString(), StringComparison.Ordinal);
        }

        if (path.StartsWith("/api/worker/jobs/{id}", StringComparison.Ordinal))
        {
            // The worker examples name the same worker: each call gets a job that worker holds.
            var job = await FetchedJobAsync(client);
            if (path.EndsWith("/cancelled", StringComparison.Ordinal))
            {
                await client.PostAsync($"/api/jobs/{job}/cancel", null);
            }

            return path.Replace("{id}", job.ToString(), StringComparison.Ordinal);
        }

        return path;
    }

    // A new job, fetched by the examples' worker.
    private static async Task<Guid> FetchedJobAsync(HttpClient client)
    {
        var job = JsonNode.Parse(await (await client.PostAsync("/api/jobs", Json("""{"type":"tax-run"}"""))).Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
        var fetched = await client.PostAsync("/api/worker/fetch", Json("""{"workerId":"tax-worker-1","types":["tax-run"],"maxJobs":100}"""));
        Assert.Contains(job, JsonNode.Parse(await fetched.Content.ReadAsStringAsync())!.AsArray().Select(j => j!["id"]!.GetValue<Guid>()));
        return job;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(code, problem["code"]!.GetValue<string>());
        return problem;
    }
}
