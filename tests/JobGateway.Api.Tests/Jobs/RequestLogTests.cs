using System.Net.Http.Headers;
using System.Text;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Soap;

namespace JobGateway.Api.Tests.Jobs;

/// <summary>The console of the gateway run as a process: one line per request, and never a secret.</summary>
public sealed class RequestLogTests
{
    private const string AdminKey = "request-log-admin-key-0123456789";

    [Fact]
    public async Task EachRequest_IsOneConsoleLine_WithMethodPathStatusElapsedAndClient()
    {
        await using var gateway = GatewayProcess.Start(new Dictionary<string, string> { ["Gateway__BootstrapAdminKey"] = AdminKey });
        await gateway.WaitUntilReadyAsync();
        using var client = new HttpClient { BaseAddress = gateway.Address };

        using (var list = new HttpRequestMessage(HttpMethod.Get, "/api/jobs"))
        {
            list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            (await client.SendAsync(list)).Dispose();
        }

        (await client.PostAsync(
            new Uri("/soap/t2a.asmx", UriKind.Relative),
            new StringContent(Envelopes.Soap11(Envelopes.JobCreate(AdminKey, "logged")), Encoding.UTF8, "text/xml"))).Dispose();
        (await client.GetAsync(new Uri("/api/jobs", UriKind.Relative))).Dispose();
        (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).Dispose();
        using (var malformed = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new StringContent("{\"type\":", Encoding.UTF8, "application/json") })
        {
            malformed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            using var answer = await client.SendAsync(malformed);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, answer.StatusCode);
        }

        var lines = await gateway.WaitForLinesAsync(IsRequestLine, 5);

        Assert.Collection(
            lines,
            l => Assert.Matches(@"HTTP GET /api/jobs responded 200 in \d+\.\d ms \(client [0-9a-f-]{36}\)$", l),
            l => Assert.Matches(@"HTTP POST /soap/t2a.asmx responded 200 in \d+\.\d ms \(client [0-9a-f-]{36}\)$", l),
            l => Assert.Matches(@"HTTP GET /api/jobs responded 401 in \d+\.\d ms \(client -\)$", l),
            l => Assert.Matches(@"HTTP GET /health/live responded 200 in \d+\.\d ms \(client -\)$", l),
            l => Assert.Matches(@"\[\d\d:\d\d:\d\d INF\] .*HTTP POST /api/jobs responded 400 in \d+\.\d ms \(client [0-9a-f-]{36}\)$", l));
        Assert.DoesNotContain(gateway.Lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Lines, l => l.Contains(AdminKey, StringComparison.Ordinal) || l.Contains("Authorization", StringComparison.OrdinalIgnoreCase));
    }

    // The readiness polls of the start-up are left out: their lines may still be being written.
    private static bool IsRequestLine(string line) =>
        line.Contains("RequestLoggingMiddleware: HTTP ", StringComparison.Ordinal) && !line.Contains("/health/ready", StringComparison.Ordinal);
}
