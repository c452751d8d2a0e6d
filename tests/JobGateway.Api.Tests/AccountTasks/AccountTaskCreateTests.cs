using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Core.Clients;
using Microsoft.Extensions.DependencyInjection;
using static JobGateway.Api.Tests.AccountTasks.AccountTaskTestSupport;

namespace JobGateway.Api.Tests.AccountTasks;

public sealed class AccountTaskCreateTests(SteppedGatewayFactory gateway) : IClassFixture<SteppedGatewayFactory>
{
    [Fact]
    public async Task Create_WithJson_Returns201WithTheSeedEnvelope()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var taskId = Guid.NewGuid();

        var response = await PostJsonAsync(client, ValidJson(taskId));

        var envelope = await ReadJsonAsync(response, HttpStatusCode.Created);
        var data = envelope.GetProperty("ResponseData");
        Assert.Equal(SeedNames("ResponseData"), data.EnumerateObject().Select(p => p.Name));
        Assert.Equal(SeedNames("ResponseData", "Identification"), data.GetProperty("Identification").EnumerateObject().Select(p => p.Name));
        Assert.Equal(tenant.Name, data.GetProperty("Identification").GetProperty("UserId").GetString());
        Assert.Equal("Success", data.GetProperty("Result").GetString());
        var detail = data.GetProperty("Detail");
        Assert.Equal(SeedNames("ResponseData", "Detail"), detail.EnumerateObject().Select(p => p.Name));
        var id = detail.GetProperty("ID").GetGuid();
        Assert.Equal($"{TasksPath}/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(taskId, detail.GetProperty("TaskID").GetGuid());
        Assert.True(detail.GetProperty("Enabled").GetBoolean());
        Assert.Equal("NONE", detail.GetProperty("Frequency").GetString());
        Assert.Equal("NONE", detail.GetProperty("Notification").GetString());
        Assert.Equal(DateTimeOffset.Parse("2024-12-22T09:54:10.8226964+00:00", System.Globalization.CultureInfo.InvariantCulture), detail.GetProperty("StartDate").GetDateTimeOffset());
        Assert.Equal("""{"report":"usage"}""", detail.GetProperty("Parameters").GetString());
        Assert.Equal("application/json", detail.GetProperty("ContentType").GetString());
        Assert.Equal(gateway.Time.GetUtcNow(), detail.GetProperty("DateCreated").GetDateTimeOffset());
        Assert.Equal(gateway.Time.GetUtcNow(), detail.GetProperty("DateModified").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("LastRunOn").ValueKind);
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("LastRunBy").ValueKind);
        Assert.Equal(tenant.Name, detail.GetProperty("LastModifiedBy").GetString());
        Assert.Equal("Scheduled", detail.GetProperty("Status").GetString());
        Assert.Equal(tenant.ClientId, detail.GetProperty("ClientID").GetGuid());
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/xml")]
    public async Task Create_WithTheSeedsXml_AnswersXmlWithTheSeedsElementNames(string contentType)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var taskId = Guid.NewGuid();

        var response = await SendAsync(client, HttpMethod.Post, TasksPath, ValidXml(taskId), contentType);

        var envelope = await ReadXmlAsync(response, HttpStatusCode.Created, mediaType: contentType);
        // XML leaves the absent Error out; everything else is named and ordered as seed 002's JSON sample.
        Assert.Equal(["ResponseData"], envelope.Elements().Select(e => e.Name.LocalName));
        var data = envelope.Element("ResponseData")!;
        Assert.Equal(SeedNames("ResponseData"), data.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(SeedNames("ResponseData", "Identification"), data.Element("Identification")!.Elements().Select(e => e.Name.LocalName));
        var detail = data.Element("Detail")!;
        Assert.Equal(SeedNames("ResponseData", "Detail"), detail.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(tenant.Name, data.Element("Identification")!.Element("UserId")!.Value);
        Assert.Equal(taskId.ToString(), detail.Element("TaskID")!.Value);
        Assert.Equal("NONE", detail.Element("Frequency")!.Value);
        Assert.Equal("NONE", detail.Element("Notification")!.Value);
        Assert.Equal("""<report name="usage"/>""", detail.Element("Parameters")!.Value);
        Assert.Equal("application/xml", detail.Element("ContentType")!.Value);
        Assert.Equal("2024-12-22T09:54:10.8226964+00:00", detail.Element("StartDate")!.Value);
        Assert.Equal("true", detail.Element("LastRunOn")!.Attribute(Xsi + "nil")?.Value);
        Assert.Equal("true", detail.Element("Name")!.Attribute(Xsi + "nil")?.Value);
        Assert.Equal("Scheduled", detail.Element("Status")!.Value);
    }

    [Fact]
    public async Task Create_XmlRoundTrip_ReadsBackTheSameTaskAsJsonAndXml()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var created = await ReadXmlAsync(await SendAsync(client, HttpMethod.Post, TasksPath, ValidXml(Guid.NewGuid()), "application/xml"), HttpStatusCode.Created);
        var id = created.Element("ResponseData")!.Element("Detail")!.Element("ID")!.Value;

        var asXml = await ReadXmlAsync(await SendAsync(client, HttpMethod.Get, $"{TasksPath}/{id}", null, null, "application/xml"), HttpStatusCode.OK);
        var asJson = await ReadJsonAsync(await client.GetAsync($"{TasksPath}/{id}"), HttpStatusCode.OK);

        Assert.Equal(created.ToString(), asXml.ToString());
        var xmlDetail = asXml.Element("ResponseData")!.Element("Detail")!;
        foreach (var member in asJson.GetProperty("ResponseData").GetProperty("Detail").EnumerateObject())
        {
            var element = xmlDetail.Element(member.Name)!;
            var expected = member.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => member.Value.GetString(),
            };
            Assert.Equal(expected, element.Attribute(Xsi + "nil") is null ? element.Value : null);
        }
    }

    [Theory]
    [InlineData("application/json", "application/xml", "application/xml")]
    [InlineData("application/json", "text/xml", "text/xml")]
    [InlineData("application/xml", "application/json", "application/json")]
    [InlineData("text/xml", "text/json", "text/json")]
    [InlineData("application/json", "text/html, application/xml;q=0.9", "application/xml")]
    [InlineData("application/xml", "application/json;q=0.5, text/xml", "text/xml")]
    [InlineData("text/xml", "*/*", "text/xml")]
    [InlineData("text/json", "text/html", "text/json")]
    public async Task Create_AnswersInTheAcceptedFormatElseTheRequestsFormat(string contentType, string accept, string answered)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var taskId = Guid.NewGuid();
        var body = contentType.EndsWith("xml", StringComparison.Ordinal) ? ValidXml(taskId) : ValidJson(taskId).ToJsonString();

        var response = await SendAsync(client, HttpMethod.Post, TasksPath, body, contentType, accept);

        if (answered.EndsWith("xml", StringComparison.Ordinal))
        {
            var envelope = await ReadXmlAsync(response, HttpStatusCode.Created, mediaType: answered);
            Assert.Equal(taskId.ToString(), envelope.Element("ResponseData")!.Element("Detail")!.Element("TaskID")!.Value);
        }
        else
        {
            var envelope = await ReadJsonAsync(response, HttpStatusCode.Created, answered);
            Assert.Equal(taskId, envelope.GetProperty("ResponseData").GetProperty("Detail").GetProperty("TaskID").GetGuid());
        }
    }

    [Fact]
    public async Task Create_WithAForm_Returns201()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var taskId = Guid.NewGuid();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["TaskID"] = taskId.ToString(),
            ["Frequency"] = "DAILY",
            ["Parameters"] = "{}",
            ["ContentType"] = "application/json",
            ["Notification"] = "ALWAYS",
        });

        var response = await client.PostAsync(TasksPath, form);

        var detail = (await ReadJsonAsync(response, HttpStatusCode.Created)).GetProperty("ResponseData").GetProperty("Detail");
        Assert.Equal(taskId, detail.GetProperty("TaskID").GetGuid());
        Assert.Equal("DAILY", detail.GetProperty("Frequency").GetString());
        Assert.Equal("ALWAYS", detail.GetProperty("Notification").GetString());
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("StartDate").ValueKind);
    }

    [Theory]
    [InlineData("0", "NONE")]
    [InlineData("1", "HOURLY")]
    [InlineData("2", "DAILY")]
    [InlineData("3", "WEEKLY")]
    [InlineData("4", "MONTHLY")]
    [InlineData("\"MONTHLY\"", "MONTHLY")]
    [InlineData("\"weekly\"", "WEEKLY")]
    [InlineData("\"4\"", "MONTHLY")]
    public async Task Create_AcceptsFrequencyAsANameOrANumber_AndWritesTheName(string json, string name)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var detail = await CreateAsync(client, change: r => r["Frequency"] = JsonNode.Parse(json));

        Assert.Equal(name, detail.GetProperty("Frequency").GetString());
    }

    [Theory]
    [InlineData("0", "NONE")]
    [InlineData("1", "ON_SUCCESS")]
    [InlineData("2", "ON_FAILURE")]
    [InlineData("3", "ALWAYS")]
    [InlineData("\"ON_FAILURE\"", "ON_FAILURE")]
    [InlineData("null", "NONE")]
    public async Task Create_AcceptsNotificationAsANameOrANumber_AndWritesTheName(string json, string name)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var detail = await CreateAsync(client, change: r => r["Notification"] = JsonNode.Parse(json));

        Assert.Equal(name, detail.GetProperty("Notification").GetString());
    }

    [Fact]
    public async Task Create_WithNumbersForEnumsInXml_WritesNames()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var xml = ValidXml(Guid.NewGuid())
            .Replace("<Frequency>NONE</Frequency>", "<Frequency>3</Frequency>", StringComparison.Ordinal)
            .Replace("<Notification>NONE</Notification>", "<Notification>2</Notification>", StringComparison.Ordinal);

        var detail = (await ReadXmlAsync(await SendAsync(client, HttpMethod.Post, TasksPath, xml, "application/xml"), HttpStatusCode.Created))
            .Element("ResponseData")!.Element("Detail")!;

        Assert.Equal("WEEKLY", detail.Element("Frequency")!.Value);
        Assert.Equal("ON_FAILURE", detail.Element("Notification")!.Value);
    }

    [Theory]
    [InlineData("TaskID", null, "TaskID is required")]
    [InlineData("TaskID", "\"\"", "TaskID is required")]
    [InlineData("TaskID", "\"task-1\"", "TaskID must be a non-empty GUID")]
    [InlineData("TaskID", "\"00000000-0000-0000-0000-000000000000\"", "TaskID must be a non-empty GUID")]
    [InlineData("TaskID", "42", "TaskID must be a non-empty GUID")]
    [InlineData("Frequency", null, "Frequency is required")]
    [InlineData("Frequency", "9", "Frequency must be one of")]
    [InlineData("Frequency", "-1", "Frequency must be one of")]
    [InlineData("Frequency", "\"SOMETIMES\"", "Frequency must be one of")]
    [InlineData("Frequency", "true", "Frequency must be one of")]
    [InlineData("Notification", "7", "Notification must be one of")]
    [InlineData("Notification", "\"LOUD\"", "Notification must be one of")]
    [InlineData("Parameters", null, "Parameters is required")]
    [InlineData("Parameters", "\"\"", "Parameters is required")]
    [InlineData("Parameters", "\"{not json\"", "Parameters must be well-formed JSON")]
    [InlineData("ContentType", null, "ContentType is required")]
    [InlineData("ContentType", "\"sample string 4\"", "ContentType must be application/xml or application/json")]
    [InlineData("ContentType", "\"text/plain\"", "ContentType must be application/xml or application/json")]
    [InlineData("StartDate", "\"soon\"", "StartDate must be an ISO 8601 date-time")]
    [InlineData("FinishDate", "\"2024-12-22T09:54:10.8226964+00:00\"", "FinishDate must be after StartDate")]
    [InlineData("FinishDate", "\"2024-12-21T00:00:00Z\"", "FinishDate must be after StartDate")]
    public async Task Create_BreakingARule_Returns400NamingTheFieldAndStoresNothing(string member, string? json, string reason)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var body = ValidJson();
        if (json is null)
        {
            body.Remove(member);
        }
        else
        {
            body[member] = JsonNode.Parse(json);
        }

        var (code, errorReason) = await ReadJsonErrorAsync(await PostJsonAsync(client, body), HttpStatusCode.BadRequest);

        Assert.Equal("validation_failed", code);
        Assert.Contains(reason, errorReason, StringComparison.Ordinal);
        Assert.Equal(0, await CountTasksAsync(client));
    }

    [Fact]
    public async Task Create_WithANameOver1024Characters_Returns400AndStoresNothing()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var body = ValidJson();
        body["Name"] = new string('n', 1025);

        var (code, reason) = await ReadJsonErrorAsync(await PostJsonAsync(client, body), HttpStatusCode.BadRequest);

        Assert.Equal("validation_failed", code);
        Assert.Equal("Name must be at most 1024 characters.", reason);
        Assert.Equal(0, await CountTasksAsync(client));
    }

    [Fact]
    public async Task Create_WithTheSeedsSampleVerbatim_Returns400BecauseItsContentTypeIsAPlaceholder()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var json = await ReadJsonErrorAsync(await SendAsync(client, HttpMethod.Post, TasksPath, SeedJsonRequest, "application/json"), HttpStatusCode.BadRequest);
        var xml = await ReadXmlAsync(await SendAsync(client, HttpMethod.Post, TasksPath, SeedXmlRequest, "application/xml"), HttpStatusCode.BadRequest);

        Assert.Contains("ContentType must be application/xml or application/json", json.Reason, StringComparison.Ordinal);
        Assert.Contains("FinishDate must be after StartDate", json.Reason, StringComparison.Ordinal);
        Assert.Equal(["Error"], xml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["ErrorCode", "ErrorReason"], xml.Element("Error")!.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("validation_failed", xml.Element("Error")!.Element("ErrorCode")!.Value);
        Assert.Equal(0, await CountTasksAsync(client));
    }

    [Fact]
    public async Task Create_WithXmlParametersThatAreNotXml_Returns400()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var xml = ValidXml(Guid.NewGuid()).Replace("&lt;report name=\"usage\"/&gt;", "&lt;report", StringComparison.Ordinal);

        var envelope = await ReadXmlAsync(await SendAsync(client, HttpMethod.Post, TasksPath, xml, "text/xml"), HttpStatusCode.BadRequest, mediaType: "text/xml");

        Assert.Contains("Parameters must be well-formed XML", envelope.Element("Error")!.Element("ErrorReason")!.Value, StringComparison.Ordinal);
        Assert.Equal(0, await CountTasksAsync(client));
    }

    [Fact]
    public async Task Create_WithXmlParametersHoldingADtd_Returns400()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var body = ValidJson();
        body["ContentType"] = "application/xml";
        body["Parameters"] = """<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>""";

        var (code, reason) = await ReadJsonErrorAsync(await PostJsonAsync(client, body), HttpStatusCode.BadRequest);

        Assert.Equal("validation_failed", code);
        Assert.Contains("Parameters must be well-formed XML", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""<!DOCTYPE AccountTaskRequest [<!ENTITY x SYSTEM "file:///etc/passwd">]><AccountTaskRequest><TaskID>&x;</TaskID></AccountTaskRequest>""", "DTD")]
    [InlineData("""<AccountTaskRequest><TaskID>""", "not well-formed XML")]
    [InlineData("""<TaskRequest><TaskID>282325b9-d725-4afd-b11e-3d3b60172acd</TaskID></TaskRequest>""", "root element must be AccountTaskRequest")]
    [InlineData("""<AccountTaskRequest><Parameters><a/></Parameters></AccountTaskRequest>""", "Parameters must be text")]
    public async Task Create_WithBadXml_Returns400InXmlAndStoresNothing(string xml, string reason)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var envelope = await ReadXmlAsync(await SendAsync(client, HttpMethod.Post, TasksPath, xml, "application/xml"), HttpStatusCode.BadRequest);

        Assert.Equal("bad_request", envelope.Element("Error")!.Element("ErrorCode")!.Value);
        Assert.Contains(reason, envelope.Element("Error")!.Element("ErrorReason")!.Value, StringComparison.Ordinal);
        Assert.Equal(0, await CountTasksAsync(client));
    }

    [Theory]
    [InlineData("""{"TaskID":""", "not valid JSON")]
    [InlineData("""[1]""", "must be a JSON object")]
    [InlineData("""{"TaskID":{"id":1},"Frequency":0}""", "TaskID must be a string or a number")]
    [InlineData("""{"Parameters":["a"]}""", "Parameters must be a string or a number")]
    public async Task Create_WithBadJson_Returns400AndStoresNothing(string json, string reason)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var (code, errorReason) = await ReadJsonErrorAsync(await SendAsync(client, HttpMethod.Post, TasksPath, json, "application/json"), HttpStatusCode.BadRequest);

        Assert.Equal("bad_request", code);
        Assert.Contains(reason, errorReason, StringComparison.Ordinal);
        Assert.Equal(0, await CountTasksAsync(client));
    }

    [Fact]
    public async Task Create_WithAnEmptyBody_Returns400()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var (code, reason) = await ReadJsonErrorAsync(await SendAsync(client, HttpMethod.Post, TasksPath, string.Empty, "application/json"), HttpStatusCode.BadRequest);

        Assert.Equal("bad_request", code);
        Assert.Equal("The request body is required.", reason);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/vnd.api+json")]
    public async Task Create_WithAnotherContentType_Returns415Envelope(string contentType)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var (code, _) = await ReadJsonErrorAsync(await SendAsync(client, HttpMethod.Post, TasksPath, ValidJson().ToJsonString(), contentType), HttpStatusCode.UnsupportedMediaType);

        Assert.Equal("unsupported_media_type", code);
        Assert.Equal(0, await CountTasksAsync(client));
    }

    [Fact]
    public async Task Create_WithAnOversizedBody_Returns413EnvelopeInTheRequestsFormat()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var xml = ValidXml(Guid.NewGuid()).Replace("&lt;report name=\"usage\"/&gt;", "<![CDATA[<r>" + new string('x', 2 * 1024 * 1024) + "</r>]]>", StringComparison.Ordinal);

        var envelope = await ReadXmlAsync(await SendAsync(client, HttpMethod.Post, TasksPath, xml, "application/xml"), HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("body_too_large", envelope.Element("Error")!.Element("ErrorCode")!.Value);
        Assert.Equal(0, await CountTasksAsync(client));
    }

    [Fact]
    public async Task Create_WithATaskIdTheClientUsesAlready_Returns409AndKeepsOneTask()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var taskId = Guid.NewGuid();
        await CreateAsync(client, taskId);

        var (code, reason) = await ReadJsonErrorAsync(await PostJsonAsync(client, ValidJson(taskId)), HttpStatusCode.Conflict);

        Assert.Equal("task_exists", code);
        Assert.Contains(taskId.ToString(), reason, StringComparison.Ordinal);
        Assert.Equal(1, await CountTasksAsync(client));
    }

    [Fact]
    public async Task Create_WithATaskIdAnotherClientUses_IsAccepted()
    {
        var first = await gateway.CreateTenantAsync();
        var second = await gateway.CreateTenantAsync();
        using var a = gateway.CreateClient(first.ApiKey);
        using var b = gateway.CreateClient(second.ApiKey);
        var taskId = Guid.NewGuid();

        var ours = await CreateAsync(a, taskId);
        var theirs = await CreateAsync(b, taskId);

        Assert.NotEqual(ours.GetProperty("ID").GetGuid(), theirs.GetProperty("ID").GetGuid());
    }

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("application/xml", "application/xml")]
    [InlineData("text/xml", "text/xml")]
    public async Task Create_WithoutAValidKey_Returns401EnvelopeInTheAcceptedFormat(string? accept, string answered)
    {
        using var anonymous = gateway.CreateClient(apiKey: null);
        using var unknown = gateway.CreateClient("jg_not-a-key");

        foreach (var client in new[] { anonymous, unknown })
        {
            var response = await SendAsync(client, HttpMethod.Post, TasksPath, ValidJson().ToJsonString(), "application/json", accept);
            if (answered == "application/json")
            {
                Assert.Equal("unauthorized", (await ReadJsonErrorAsync(response, HttpStatusCode.Unauthorized)).Code);
            }
            else
            {
                var envelope = await ReadXmlAsync(response, HttpStatusCode.Unauthorized, mediaType: answered);
                Assert.Equal("unauthorized", envelope.Element("Error")!.Element("ErrorCode")!.Value);
            }
        }
    }

    [Fact]
    public async Task Create_WithAWorkerOnlyKey_Returns403Envelope()
    {
        var worker = await gateway.CreateTenantAsync("worker");
        using var client = gateway.CreateClient(worker.ApiKey);

        var (code, _) = await ReadJsonErrorAsync(await PostJsonAsync(client, ValidJson()), HttpStatusCode.Forbidden);

        Assert.Equal("forbidden", code);
    }

    [Fact]
    public async Task Create_ForAClientDisabledSinceItsKeyWasCached_Returns403ClientNotFoundAndStoresNothing()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        Assert.Equal(0, await CountTasksAsync(client));

        // Disabled behind the credential cache's back, as another gateway instance would: this instance still
        // trusts the key for a few seconds, so only the tasks API's own check stands in the way.
        await using (var scope = gateway.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IClientStore>().SetClientEnabledAsync(tenant.ClientId, false, default);
        }

        var (code, reason) = await ReadJsonErrorAsync(await PostJsonAsync(client, ValidJson()), HttpStatusCode.Forbidden);

        Assert.Equal("client_not_found", code);
        Assert.Contains("client must be created", reason, StringComparison.Ordinal);
        await using (var scope = gateway.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IClientStore>().SetClientEnabledAsync(tenant.ClientId, true, default);
        }

        Assert.Equal(0, await CountTasksAsync(client));
    }
}
