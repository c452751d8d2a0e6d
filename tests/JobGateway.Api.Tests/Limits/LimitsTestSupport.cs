using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobGateway.Api.Tests.Infrastructure;

namespace JobGateway.Api.Tests.Limits;

/// <summary>Tenants with limits of their own, and creates sent until the gateway refuses one.</summary>
internal static class LimitsTestSupport
{
    /// <summary>A new tenant (roles <paramref name="roles"/>, default client) whose own limits an operator set to <paramref name="limits"/>.</summary>
    public static async Task<TestTenant> LimitedTenantAsync(GatewayFactory gateway, object limits, params string[] roles)
    {
        var tenant = await gateway.CreateTenantAsync(roles);
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);
        var response = await admin.PutAsJsonAsync($"/api/admin/clients/{tenant.ClientId}/limits", limits);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return tenant;
    }

    /// <summary>
    /// Sends <paramref name="create"/> until an answer is not <paramref name="accepted"/> (at most 200 times), and returns
    /// how many were accepted, that first other answer, and the seconds it took.
    /// </summary>
    public static async Task<(int Accepted, HttpResponseMessage Refused, double Seconds)> CreateUntilRefusedAsync(
        Func<Task<HttpResponseMessage>> create, HttpStatusCode accepted)
    {
        var clock = Stopwatch.StartNew();
        for (var count = 0; count < 200; count++)
        {
            var response = await create();
            if (response.StatusCode != accepted)
            {
                return (count, response, clock.Elapsed.TotalSeconds);
            }

            response.Dispose();
        }

        throw new InvalidOperationException("200 creates in a row were accepted: the limit never refused one.");
    }

    /// <summary>The answer's <c>Retry-After</c>, in seconds.</summary>
    public static double RetryAfterSeconds(HttpResponseMessage response)
    {
        var delta = response.Headers.RetryAfter?.Delta;
        Assert.True(delta is not null, "The refusal has no Retry-After (in seconds).");
        return delta.Value.TotalSeconds;
    }

    /// <summary>The tenant's jobs of every surface, read over the native API (whatever their type).</summary>
    public static async Task<JsonElement[]> JobsAsync(HttpClient client)
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/api/jobs?pageSize=100");
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}
