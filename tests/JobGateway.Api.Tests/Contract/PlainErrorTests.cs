using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using JobGateway.Api.Tests.AccountTasks;
using JobGateway.Api.Tests.Infrastructure;

namespace JobGateway.Api.Tests.Contract;

/// <summary>
/// Errors a client can act on, in its own dialect and its own terms: a wrong JSON type is named by the member's path
/// and the JSON type it needs, malformed bodies by line and position, a 403 by the role the endpoint needs; never a
/// .NET type name, a reader's internals or the advice the XML reader gives .NET programmers.
/// </summary>
public sealed class PlainErrorTests : IDisposable
{
    private static readonly string[] Internals =
        ["System.", "could not be converted", "LineNumber:", "BytePositionInLine", "Path: $", "XmlReaderSettings", "DtdProcessing", "Exception", "   at "];

    private readonly GatewayFactory _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Theory]
    [InlineData("/api/jobs", """{"type":5}""", "type", "'type' must be a string.")]
    [InlineData("/api/jobs", """{"type":"t","payload":{},"name":{"first":"x"}}""", "name", "'name' must be a string.")]
    [InlineData("/api/worker/fetch", """{"workerId":"w","types":"tax-run"}""", "types", "'types' must be a JSON array.")]
    [InlineData("/api/worker/fetch", """{"workerId":"w","types":["tax-run"],"maxJobs":"ten"}""", "maxJobs", "'maxJobs' must be a whole number.")]
    [InlineData("/api/worker/jobs/0193a4f0-6c2e-7d41-9b8a-5f3e2d1c0b9a/fail", """{"workerId":"w","error":{"code":5,"message":"m"}}""", "error.code", "'error.code' must be a string.")]
    [InlineData("/api/worker/jobs/0193a4f0-6c2e-7d41-9b8a-5f3e2d1c0b9a/fail", """{"workerId":"w","error":{"code":"c","message":"m"},"retry":"yes"}""", "retry", "'retry' must be true or false.")]
    [InlineData("/api/worker/complete", """{"workerId":"w","jobs":[{"id":"not-a-uuid"}]}""", "jobs[0].id", "'jobs[0].id' must be a UUID string.")]
    public async Task NativeBodies_WithAWrongJsonType_NameTheMemberAndTheTypeItNeeds(string path, string body, string member, string detail)
    {
        var tenant = await _gateway.CreateTenantAsync("client", "worker");
        using var client = _gateway.CreateClient(tenant.ApiKey);

        var problem = await ProblemAsync(await client.PostAsync(new Uri(path, UriKind.Relative), Json(body)), HttpStatusCode.BadRequest, "bad_request");

        Assert.Equal(detail, problem["detail"]!.GetValue<string>());
        Assert.Equal([detail], problem["errors"]![member]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"type":""", "The request body is not valid JSON (line 1, byte 9).")]
    [InlineData("{\n  \"type\": \"t\",\n  \"name\": nope\n}", "The request body is not valid JSON (line 3, byte 12).")]
    [InlineData("""[1,2]""", "The request body must be a JSON object.")]
    public async Task NativeBodies_ThatAreNotAJsonObject_SaySoWithTheLine(string body, string detail)
    {
        var tenant = await _gateway.CreateTenantAsync();
        using var client = _gateway.CreateClient(tenant.ApiKey);

        var problem = await ProblemAsync(await client.PostAsync(new Uri("/api/jobs", UriKind.Relative), Json(body)), HttpStatusCode.BadRequest, "bad_request");

        Assert.Equal(detail, problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task AQueryParameterOfTheWrongKind_IsNamedAsTheClientSentIt()
    {
        var tenant = await _gateway.CreateTenantAsync();
        using var client = _gateway.CreateClient(tenant.ApiKey);

        var problem = await ProblemAsync(await client.GetAsync(new Uri("/api/jobs?pageSize=abc", UriKind.Relative)), HttpStatusCode.BadRequest, "bad_request");

        Assert.Equal("'pageSize' must be a whole number, not 'abc'.", problem["detail"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["pageSize"]);
    }

    [Theory]
    [InlineData("""<!DOCTYPE AccountTaskRequest [<!ENTITY x SYSTEM "file:///etc/passwd">]><AccountTaskRequest><TaskID>&x;</TaskID></AccountTaskRequest>""", "The request body contains a DTD; DTDs are not allowed.")]
    [InlineData("<AccountTaskRequest>\n  <TaskID>x</Task>\n</AccountTaskRequest>", "The request body is not well-formed XML (line 2, position 14).")]
    public async Task TwoSmsXml_ThatCannotBeRead_SaysWhyInPlainWords(string xml, string reason)
    {
        var tenant = await _gateway.CreateTenantAsync();
        using var client = _gateway.CreateClient(tenant.ApiKey);

        using var response = await AccountTaskTestSupport.SendAsync(client, HttpMethod.Post, AccountTaskTestSupport.TasksPath, xml, "application/xml");
        var envelope = await AccountTaskTestSupport.ReadXmlAsync(response, HttpStatusCode.BadRequest);

        Assert.Equal("bad_request", envelope.Element("Error")!.Element("ErrorCode")!.Value);
        Assert.Equal(reason, envelope.Element("Error")!.Element("ErrorReason")!.Value);
        AssertPlain(envelope.ToString());
    }

    [Theory]
    [InlineData("worker", "GET", "/api/jobs", null, "This endpoint needs an API key with the client role; this key has the worker role.")]
    [InlineData("client", "GET", "/api/admin/clients", null, "This endpoint needs an API key with the admin role; this key has the client role.")]
    [InlineData("client", "POST", "/api/worker/fetch", """{"workerId":"w","types":["tax-run"]}""", "This endpoint needs an API key with the worker role; this key has the client role.")]
    public async Task Forbidden_InProblemDetails_NamesTheRoleNeededAndTheKeysRoles(string role, string method, string path, string? body, string detail)
    {
        var tenant = await _gateway.CreateTenantAsync(role);
        using var client = _gateway.CreateClient(tenant.ApiKey);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : Json(body) };

        var problem = await ProblemAsync(await client.SendAsync(request), HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(detail, problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Forbidden_InTheVendorDialects_NamesTheRoleNeeded()
    {
        const string Detail = "This endpoint needs an API key with the client role; this key has the worker role.";
        var tenant = await _gateway.CreateTenantAsync("worker");
        using var client = _gateway.CreateClient(tenant.ApiKey);

        using var elasticPath = await client.GetAsync(new Uri("/v2/subscriptions/jobs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, elasticPath.StatusCode);
        var error = JsonNode.Parse(await elasticPath.Content.ReadAsStringAsync())!["errors"]![0]!;
        Assert.Equal(("403", "Forbidden", Detail), (error["status"]!.GetValue<string>(), error["title"]!.GetValue<string>(), error["detail"]!.GetValue<string>()));

        using var twoSms = await client.GetAsync(new Uri(AccountTaskTestSupport.TasksPath, UriKind.Relative));
        var (code, reason) = await AccountTaskTestSupport.ReadJsonErrorAsync(twoSms, HttpStatusCode.Forbidden);
        Assert.Equal(("forbidden", Detail), (code, reason));
    }

    [Theory]
    [InlineData("heartbeat", """{"workerId":"w"}""")]
    [InlineData("complete", """{"workerId":"w"}""")]
    [InlineData("fail", """{"workerId":"w","error":{"code":"c","message":"m"}}""")]
    [InlineData("cancelled", """{"workerId":"w"}""")]
    public async Task WorkerCalls_OnIdsThatAreNotGuids_Get404ProblemDetails(string call, string body)
    {
        var tenant = await _gateway.CreateTenantAsync("worker");
        using var client = _gateway.CreateClient(tenant.ApiKey);

        var problem = await ProblemAsync(
            await client.PostAsync(new Uri($"/api/worker/jobs/not-a-guid/{call}", UriKind.Relative), Json(body)), HttpStatusCode.NotFound, "job_not_found");

        Assert.Contains("not-a-guid", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static void AssertPlain(string text)
    {
        foreach (var internalText in Internals)
        {
            Assert.DoesNotContain(internalText, text, StringComparison.Ordinal);
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            AssertPlain(text);
            var problem = JsonNode.Parse(text)!;
            Assert.Equal(code, problem["code"]!.GetValue<string>());
            return problem;
        }
    }
}
