using System.Net;
using System.Net.Http.Json;
using JobGateway.Api.Tests.Infrastructure;

namespace JobGateway.Api.Tests.Jobs;

public sealed class RestartTests
{
    [Fact]
    public async Task Job_SurvivesARestartOfTheHostOnTheSameDatabase()
    {
        using var first = new GatewayFactory();
        var tenant = await first.CreateTenantAsync();
        Guid id;
        long number;
        using (var client = first.CreateClient(tenant.ApiKey))
        {
            var job = await JobsApiTests.ReadJsonAsync(await client.PostAsJsonAsync("/api/jobs", new { type = "billing-run", name = "before restart" }));
            id = job.GetProperty("id").GetGuid();
            number = job.GetProperty("number").GetInt64();
        }

        using var second = first.CreateRestartedHost();
        await first.DisposeAsync();

        using var again = second.CreateClient(tenant.ApiKey);
        var response = await again.GetAsync($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var restored = await JobsApiTests.ReadJsonAsync(response);
        Assert.Equal("before restart", restored.GetProperty("name").GetString());
        Assert.Equal(number, restored.GetProperty("number").GetInt64());

        // Numbers keep increasing after the restart, and the admin bootstrap did not run twice.
        var next = await JobsApiTests.ReadJsonAsync(await again.PostAsJsonAsync("/api/jobs", new { type = "billing-run" }));
        Assert.True(next.GetProperty("number").GetInt64() > number);
        using var admin = second.CreateClient(GatewayFactory.AdminKey);
        var clients = await JobsApiTests.ReadJsonAsync(await admin.GetAsync("/api/admin/clients"));
        Assert.Single(clients.EnumerateArray(), c => c.GetProperty("name").GetString() == "admin");
    }
}
