using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace JobGateway.Api.Tests.AccountTasks;

/// <summary>2sms requests as a client sends them.</summary>
internal static class AccountTaskTestSupport
{
    public const string TasksPath = "/api/v2/admin/tasks/account";

    /// <summary>Seed 002's JSON request sample, verbatim (its ContentType and Parameters are placeholders).</summary>
    public const string SeedJsonRequest = """
        { "TaskID": "282325b9-d725-4afd-b11e-3d3b60172acd", "Frequency": 0, "StartDate": "2024-12-22T09:54:10.8226964+00:00", "FinishDate": "2024-12-22T09:54:10.8226964+00:00", "Parameters": "sample string 3", "ContentType": "sample string 4", "Notification": 0 }
        """;

    /// <summary>Seed 002's XML request sample, verbatim.</summary>
    public const string SeedXmlRequest = """
        <AccountTaskRequest xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"> <TaskID>282325b9-d725-4afd-b11e-3d3b60172acd</TaskID> <Frequency>NONE</Frequency> <StartDate>2024-12-22T09:54:10.8226964+00:00</StartDate> <FinishDate>2024-12-22T09:54:10.8226964+00:00</FinishDate> <Parameters>sample string 3</Parameters> <ContentType>sample string 4</ContentType> <Notification>NONE</Notification> </AccountTaskRequest>
        """;

    /// <summary>Seed 002's JSON response sample, verbatim: the member names and their order are the contract.</summary>
    public const string SeedJsonResponse = """
        { "Error": { "ErrorCode": "sample string 1", "ErrorReason": "sample string 2" }, "ResponseData": { "Identification": { "UserId": "sample string 1" }, "Result": "sample string 1", "Detail": { "ID": "1e0bfd78-0a12-44af-b227-f61b0b54c503", "TaskID": "cfebc9b2-19e1-47db-8f1e-7ae01a7a2f13", "Name": "sample string 3", "Enabled": true, "Frequency": "sample string 5", "StartDate": "2024-12-22T09:54:10.8292589+00:00", "FinishDate": "2024-12-22T09:54:10.8292589+00:00", "Parameters": "sample string 7", "ContentType": "sample string 8", "Notification": "sample string 9", "DateCreated": "2024-12-22T09:54:10.8292589+00:00", "DateModified": "2024-12-22T09:54:10.8292589+00:00", "LastRunOn": "2024-12-22T09:54:10.8292589+00:00", "LastRunBy": "sample string 11", "LastModifiedBy": "sample string 12", "Status": "sample string 13", "ClientID": "d7b9b998-dc1d-4520-be68-3742d70790d9" } } }
        """;

    public static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>The seed's JSON sample with valid values: a new TaskID and JSON parameters.</summary>
    public static JsonObject ValidJson(Guid? taskId = null)
    {
        var request = JsonNode.Parse(SeedJsonRequest)!.AsObject();
        request["TaskID"] = (taskId ?? Guid.NewGuid()).ToString();
        request["FinishDate"] = "2024-12-23T09:54:10.8226964+00:00";
        request["Parameters"] = """{"report":"usage"}""";
        request["ContentType"] = "application/json";
        return request;
    }

    /// <summary>The seed's XML sample with valid values.</summary>
    public static string ValidXml(Guid taskId) => SeedXmlRequest
        .Replace("282325b9-d725-4afd-b11e-3d3b60172acd", taskId.ToString(), StringComparison.Ordinal)
        .Replace("<FinishDate>2024-12-22T", "<FinishDate>2024-12-23T", StringComparison.Ordinal)
        .Replace("<Parameters>sample string 3</Parameters>", "<Parameters>&lt;report name=\"usage\"/&gt;</Parameters>", StringComparison.Ordinal)
        .Replace("<ContentType>sample string 4</ContentType>", "<ContentType>application/xml</ContentType>", StringComparison.Ordinal);

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? body, string? contentType, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, JsonNode body, string path = TasksPath) =>
        SendAsync(client, HttpMethod.Post, path, body.ToJsonString(), "application/json");

    /// <summary>Registers a valid task and returns its Detail.</summary>
    public static async Task<JsonElement> CreateAsync(HttpClient client, Guid? taskId = null, Action<JsonObject>? change = null)
    {
        var body = ValidJson(taskId);
        change?.Invoke(body);
        return (await ReadJsonAsync(await PostJsonAsync(client, body), HttpStatusCode.Created)).GetProperty("ResponseData").GetProperty("Detail");
    }

    /// <summary>A JSON envelope, after checking the status and that exactly one of Error and ResponseData is set.</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected, string mediaType = "application/json")
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        var envelope = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(["Error", "ResponseData"], envelope.EnumerateObject().Select(p => p.Name));
        var failed = (int)expected >= 400;
        Assert.Equal(failed ? JsonValueKind.Object : JsonValueKind.Null, envelope.GetProperty("Error").ValueKind);
        Assert.Equal(failed ? JsonValueKind.Null : JsonValueKind.Object, envelope.GetProperty("ResponseData").ValueKind);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return envelope;
    }

    /// <summary>The Error of a JSON error envelope.</summary>
    public static async Task<(string Code, string Reason)> ReadJsonErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var error = (await ReadJsonAsync(response, expected)).GetProperty("Error");
        Assert.Equal(["ErrorCode", "ErrorReason"], error.EnumerateObject().Select(p => p.Name));
        return (error.GetProperty("ErrorCode").GetString()!, error.GetProperty("ErrorReason").GetString()!);
    }

    /// <summary>An XML envelope, after checking the status, the root and its xsd/xsi declarations.</summary>
    public static async Task<XElement> ReadXmlAsync(HttpResponseMessage response, HttpStatusCode expected, string root = "ResponseOfAccountTaskResponse", string mediaType = "application/xml")
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        var document = XDocument.Parse(text);
        var envelope = document.Root!;
        Assert.Equal(root, envelope.Name.LocalName);
        Assert.Equal(XNamespace.None, envelope.Name.Namespace);
        Assert.Equal("http://www.w3.org/2001/XMLSchema", envelope.Attribute(XNamespace.Xmlns + "xsd")?.Value);
        Assert.Equal("http://www.w3.org/2001/XMLSchema-instance", envelope.Attribute(XNamespace.Xmlns + "xsi")?.Value);
        return envelope;
    }

    /// <summary>The member names of seed 002's JSON answer at a path, in order.</summary>
    public static string[] SeedNames(params string[] path)
    {
        var node = JsonDocument.Parse(SeedJsonResponse).RootElement;
        foreach (var member in path)
        {
            node = node.GetProperty(member);
        }

        return node.EnumerateObject().Select(p => p.Name).ToArray();
    }

    public static async Task<int> CountTasksAsync(HttpClient client)
    {
        var envelope = await ReadJsonAsync(await client.GetAsync(TasksPath), HttpStatusCode.OK);
        return envelope.GetProperty("ResponseData").GetProperty("Detail").GetArrayLength();
    }
}
