using System.Net;
using System.Net.Http.Json;
using JobGateway.Api.Tests.Infrastructure;
using CredentialCache = JobGateway.Core.Clients.CredentialCache;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Jobs;

/// <summary>
/// Bearer keys through ASP.NET's authentication middleware and the ApiKey handler: a key the credential cache holds
/// and one it does not are answered alike.
/// </summary>
public sealed class AuthenticationTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Theory]
    [InlineData("Bearer {0}")]
    [InlineData("bearer {0}")]
    [InlineData("BEARER   {0}  ")]
    public async Task BearerHeader_IsAcceptedAlike_WhetherTheKeyIsCachedOrNot(string format)
    {
        var tenant = await gateway.CreateTenantAsync();
        gateway.Services.GetRequiredService<CredentialCache>().Invalidate();
        using var client = gateway.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            // i = 0: not cached (looked up in the store); i = 1: cached.
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
            request.Headers.TryAddWithoutValidation("Authorization", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, tenant.ApiKey));
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        }
    }

    [Fact]
    public async Task BadOrDoubledHeaders_AreRefused_EvenWhenTheKeyIsCached()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient();
        using (var warm = gateway.CreateClient(tenant.ApiKey))
        {
            Assert.Equal(HttpStatusCode.OK, (await warm.GetAsync("/api/jobs")).StatusCode);
        }

        foreach (var headers in new[]
        {
            new[] { "Basic " + tenant.ApiKey },
            new[] { tenant.ApiKey },
            new[] { "Bearer " + tenant.ApiKey + "x" },
            new[] { "Bearer " + tenant.ApiKey, "Bearer " + tenant.ApiKey },
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
            foreach (var header in headers)
            {
                request.Headers.TryAddWithoutValidation("Authorization", header);
            }

            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("unauthorized", (await JobsApiTests.ReadProblemAsync(response)).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task CachedKey_WithoutTheRole_IsForbidden_AndARevokedOneRefused()
    {
        var worker = await gateway.CreateTenantAsync("worker");
        using var client = gateway.CreateClient(worker.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/worker/fetch", new { workerId = "w", types = new[] { "auth-x" } })).StatusCode);

        // Now cached: the role check still applies.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/jobs")).StatusCode);

        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);
        (await admin.DeleteAsync($"/api/admin/clients/{worker.ClientId}/keys/{worker.KeyId}")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/worker/fetch", new { workerId = "w", types = new[] { "auth-x" } })).StatusCode);
    }
}
