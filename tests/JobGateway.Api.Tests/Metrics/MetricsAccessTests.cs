using System.Net;
using System.Net.Http.Headers;
using JobGateway.Api.Tests.Infrastructure;

namespace JobGateway.Api.Tests.Metrics;

/// <summary>
/// A gateway whose metrics networks leave loopback out (10.0.0.0/8 and 192.0.2.0/24): the tests' connections, all from
/// 127.0.0.1, are then callers from outside them, for real.
/// </summary>
public sealed class RestrictedMetricsGateway : GatewayFactory
{
    public RestrictedMetricsGateway()
    {
        Settings["Gateway:Telemetry:MetricsNetworks:0"] = "10.0.0.0/8";
        Settings["Gateway:Telemetry:MetricsNetworks:1"] = "192.0.2.0/24";
        UseRealServer();
    }
}

public sealed class MetricsAccessTests(RestrictedMetricsGateway gateway) : IClassFixture<RestrictedMetricsGateway>
{
    [Fact]
    public async Task ACallerOutsideTheNetworks_NeedsAnAdminKey_AndNoHeaderStandsInForItsAddress()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = new HttpClient { BaseAddress = gateway.ServerAddress };

        using var anonymous = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        anonymous.Headers.Add("X-Forwarded-For", "192.0.2.7");
        anonymous.Headers.Add("X-Real-IP", "10.1.2.3");
        var refused = await http.SendAsync(anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain("jobgateway_", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(http, tenant.ApiKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(http, "not-a-key-0123456789")).StatusCode);

        var admin = await GetAsync(http, GatewayFactory.AdminKey);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("# TYPE ", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadNetworks_StopTheGatewayAtStartUp_NamingTheSetting()
    {
        await using var misconfigured = GatewayProcess.Start(new Dictionary<string, string>
        {
            ["Gateway__BootstrapAdminKey"] = GatewayFactory.AdminKey,
            ["Gateway__Telemetry__MetricsNetworks__0"] = "10.0.0.0/33",
        });

        Assert.Equal(1, await misconfigured.WaitForExitAsync());
        Assert.Contains(misconfigured.Lines, l => l.Contains("Gateway:Telemetry:MetricsNetworks: '10.0.0.0/33' is not a network", StringComparison.Ordinal));
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await http.SendAsync(request);
    }
}
