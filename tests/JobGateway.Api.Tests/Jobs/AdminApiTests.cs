using System.Net;
using System.Net.Http.Json;
using JobGateway.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Jobs;

public sealed class AdminApiTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task CreateClient_ShowsTheKeyOnceAndStoresOnlyItsHash()
    {
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);

        var created = await JobsApiTests.ReadJsonAsync(await admin.PostAsJsonAsync("/api/admin/clients", new { name = "acme-" + Guid.NewGuid().ToString("N")[..6], roles = new[] { "client", "worker" } }));
        var clientId = created.GetProperty("client").GetProperty("id").GetGuid();
        var secret = created.GetProperty("apiKey").GetProperty("key").GetString()!;
        var keys = await JobsApiTests.ReadJsonAsync(await admin.GetAsync($"/api/admin/clients/{clientId}/keys"));

        Assert.StartsWith("jg_", secret, StringComparison.Ordinal);
        Assert.Equal(["client", "worker"], created.GetProperty("apiKey").GetProperty("roles").EnumerateArray().Select(r => r.GetString()!));
        var listed = Assert.Single(keys.EnumerateArray());
        Assert.False(listed.TryGetProperty("key", out _));
        Assert.Equal(secret[..8], listed.GetProperty("prefix").GetString());

        // Nowhere in the database file is the secret itself.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(gateway.DatabasePath);
        var wal = File.Exists(gateway.DatabasePath + "-wal") ? await File.ReadAllBytesAsync(gateway.DatabasePath + "-wal") : [];
        var needle = System.Text.Encoding.UTF8.GetBytes(secret);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(needle));
        Assert.Equal(-1, wal.AsSpan().IndexOf(needle));
    }

    [Fact]
    public async Task CreateClient_WithTakenName_Returns409()
    {
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);
        var name = "dup-" + Guid.NewGuid().ToString("N")[..6];
        await admin.PostAsJsonAsync("/api/admin/clients", new { name });

        var again = await admin.PostAsJsonAsync("/api/admin/clients", new { name });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task CreateClient_WithUnknownRole_Returns400()
    {
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);

        var response = await admin.PostAsJsonAsync("/api/admin/clients", new { name = "x-" + Guid.NewGuid().ToString("N")[..6], roles = new[] { "root" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JobsApiTests.ReadProblemAsync(response)).GetProperty("errors").TryGetProperty("roles", out _));
    }

    [Fact]
    public async Task AdminEndpoints_RefuseNonAdminKeys()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/admin/clients")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.CreateClient(apiKey: null).GetAsync("/api/admin/clients")).StatusCode);
    }

    [Fact]
    public async Task Roles_AllowOnlyWhatTheyAllow()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/admin/clients")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/admin/clients")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/worker/fetch", new { workerId = "w", types = new[] { "x" } })).StatusCode);
    }

    [Fact]
    public async Task DisabledClient_IsRefusedUntilEnabledAgain()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);
        using var client = gateway.CreateClient(tenant.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs")).StatusCode);

        await admin.PostAsync($"/api/admin/clients/{tenant.ClientId}/disable", null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/jobs")).StatusCode);

        await admin.PostAsync($"/api/admin/clients/{tenant.ClientId}/enable", null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task IssuedKey_WorksWithItsRoles()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);

        var issued = await JobsApiTests.ReadJsonAsync(await admin.PostAsJsonAsync($"/api/admin/clients/{tenant.ClientId}/keys", new { name = "second", roles = new[] { "client" } }));
        using var client = gateway.CreateClient(issued.GetProperty("key").GetString());

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/jobs", new { type = "t" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"/api/admin/clients/{Guid.NewGuid()}/keys", new { })).StatusCode);
    }
}
