using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobGateway.Api.Tests.Infrastructure;

namespace JobGateway.Api.Tests.Swagger;

public sealed class SwaggerDocumentTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private static readonly Dictionary<string, string[]> VendorOperations = new()
    {
        ["/v2/subscriptions/jobs"] = ["post", "get"],
        ["/v2/subscriptions/jobs/{id}"] = ["get", "delete"],
        ["/api/v2/admin/tasks/account"] = ["post", "get"],
        ["/api/v2/admin/tasks/account/{id}"] = ["get", "put", "delete"],
        ["/api/v2/admin/tasks/account/run"] = ["post"],
        ["/api/v2/admin/tasks/account/{id}/enable"] = ["post"],
        ["/api/v2/admin/tasks/account/{id}/disable"] = ["post"],
    };

    [Fact]
    public async Task Document_ListsEveryVendorOperation_WithItsErrorsDocumentedAndExemplified()
    {
        var document = await DocumentAsync();

        var paths = document["paths"]!.AsObject();
        foreach (var (path, methods) in VendorOperations)
        {
            Assert.True(paths.ContainsKey(path), $"missing path {path}");
            foreach (var method in methods)
            {
                var operation = paths[path]![method];
                Assert.True(operation is not null, $"missing {method} {path}");
                var responses = operation["responses"]!.AsObject();
                foreach (var status in new[] { "401", "403", "500" })
                {
                    Assert.True(responses.ContainsKey(status), $"{method} {path} does not document {status}");
                }

                foreach (var (status, response) in responses)
                {
                    foreach (var (mediaType, media) in response!["content"]?.AsObject() ?? [])
                    {
                        // An XML text cannot validate against the schema an example is checked against: XML answers are
                        // described by their schema's XML names instead, from which Swagger UI draws the sample.
                        if (mediaType.EndsWith("xml", StringComparison.Ordinal))
                        {
                            var schema = media!["schema"]!["$ref"]!.GetValue<string>().Split('/')[^1];
                            Assert.Equal(schema, document["components"]!["schemas"]![schema]!["xml"]!["name"]!.GetValue<string>());
                        }
                        else
                        {
                            Assert.True(media!["example"] is not null, $"{method} {path} {status} {mediaType} has no example");
                        }
                    }
                }
            }
        }

        Assert.True(paths["/v2/subscriptions/jobs"]!["post"]!["responses"]!.AsObject().ContainsKey("415"));
        Assert.True(paths["/v2/subscriptions/jobs/{id}"]!["delete"]!["responses"]!.AsObject().ContainsKey("409"));
        Assert.True(paths["/api/v2/admin/tasks/account"]!["post"]!["responses"]!.AsObject().ContainsKey("409"));
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>());
    }

    [Fact]
    public async Task Document_ShowsTheSeedSamplesAsExamples()
    {
        var document = await DocumentAsync();

        var createJob = document["paths"]!["/v2/subscriptions/jobs"]!["post"]!;
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse(ElasticPath.ElasticPathTestSupport.SeedCreateBody),
            createJob["requestBody"]!["content"]!["application/json"]!["example"]));
        Assert.NotNull(createJob["requestBody"]!["content"]!["application/vnd.api+json"]!["example"]);
        var created = createJob["responses"]!["201"]!["content"]!["application/json"]!["example"]!;
        Assert.Equal("subscription_job", created["data"]!["type"]!.GetValue<string>());
        Assert.Equal(90, created["data"]!["meta"]!["report"]!["total_tax_required"]!["GBP"]!["amount"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"errors":[{"title":"Validation Error","status":"400","detail":"data.attributes.name: \"name\" is required"}]}"""),
            createJob["responses"]!["400"]!["content"]!["application/json"]!["example"]));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"errors":[{"status":"401","title":"Unable to validate access token"}]}"""),
            createJob["responses"]!["401"]!["content"]!["application/json"]!["example"]));

        // Seed 002's samples have placeholders the gateway rejects ("sample string 4" as ContentType, FinishDate equal to
        // StartDate): the examples keep the seed's members and fill them with values that work (issue 24).
        var createTask = document["paths"]!["/api/v2/admin/tasks/account"]!["post"]!;
        var body = createTask["requestBody"]!["content"]!;
        Assert.Equal(
            JsonNode.Parse(AccountTasks.AccountTaskTestSupport.SeedJsonRequest)!.AsObject().Select(m => m.Key),
            body["application/json"]!["example"]!.AsObject().Select(m => m.Key));
        Assert.Equal("AccountTaskRequest", document["components"]!["schemas"]!["AccountTaskRequest"]!["xml"]!["name"]!.GetValue<string>());
        Assert.Null(body["application/xml"]!["example"]);
        var answers = createTask["responses"]!["201"]!["content"]!;
        var answer = answers["application/json"]!["example"]!;
        Assert.Equal(
            AccountTasks.AccountTaskTestSupport.SeedNames("ResponseData", "Detail"),
            answer["ResponseData"]!["Detail"]!.AsObject().Select(m => m.Key));
        Assert.Equal("Success", answer["ResponseData"]!["Result"]!.GetValue<string>());
        Assert.Equal("ResponseOfAccountTaskResponse", document["components"]!["schemas"]!["ResponseOfAccountTaskResponse"]!["xml"]!["name"]!.GetValue<string>());
        var required = document["components"]!["schemas"]!["AccountTaskRequest"]!["required"]!.AsArray().Select(r => r!.GetValue<string>());
        Assert.Equal(["ContentType", "Frequency", "Parameters", "TaskID"], required.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Document_DescriptionLinksTheSoapHelpPages()
    {
        var document = await DocumentAsync();

        var description = document["info"]!["description"]!.GetValue<string>();
        foreach (var page in new[] { "/soap/t2a.asmx", "/1.0/customerapi.asmx", "/mmapi.asmx" })
        {
            Assert.Contains($"]({page})", description, StringComparison.Ordinal);
        }
    }

    private async Task<JsonNode> DocumentAsync()
    {
        using var client = gateway.CreateClient(apiKey: null);
        var response = await client.GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        using var parsed = JsonDocument.Parse(text);
        Assert.StartsWith("3.", parsed.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        return JsonNode.Parse(text)!;
    }
}
