using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using JobGateway.Api.Tests.Infrastructure;
using Xunit.Abstractions;
using static JobGateway.Api.Tests.Limits.LimitsTestSupport;

namespace JobGateway.Api.Tests.Limits;

/// <summary>Latency is measured with nothing else running, so that the figures are the gateway's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FloodRunsAlone
{
    public const string Name = "flood";
}

/// <summary>
/// One client floods the creates over real connections and is mostly refused; another client's creates keep their
/// latency. Both are measured in the same test, on the same host, with and without the flood.
/// </summary>
[Collection(FloodRunsAlone.Name)]
public sealed class FloodIsolationTests(ITestOutputHelper output)
{
    private const int Samples = 1_000;
    private const int Flooders = 4;

    // The flooding client may create 50 jobs a second and sends twenty times that: 1,000 creates a second, each
    // connection paced, so that the flood is refused many times over without taking every core of a 2-core machine
    // from the steady client (a client sending without pause takes CPU no limit on creates can give back).
    private const int FloodRate = 50;
    private const int OfferedPerSecond = 1_000;

    [Fact]
    public async Task AFloodedClientIsRefused_WhileAnotherClientsCreatesKeepTheirLatency()
    {
        using var gateway = new GatewayFactory().UseRealServer();
        var flooder = await LimitedTenantAsync(gateway, new { createsPerSecond = FloodRate, createBurst = FloodRate });
        var steady = await gateway.CreateTenantAsync();
        using var steadyHttp = Connect(gateway, steady.ApiKey);
        await MeasureAsync(steadyHttp, 50);

        var quiet = await MeasureAsync(steadyHttp, Samples);

        var accepted = 0;
        var refused = 0;
        var unexpected = 0;
        using var stop = new CancellationTokenSource();
        var floodClock = Stopwatch.StartNew();
        var flood = Enumerable.Range(0, Flooders).Select(_ => Task.Run(async () =>
        {
            using var http = Connect(gateway, flooder.ApiKey);
            using var pace = new PeriodicTimer(TimeSpan.FromSeconds((double)Flooders / OfferedPerSecond));
            while (await Tick(pace, stop.Token))
            {
                using var response = await http.PostAsJsonAsync("/api/jobs", new { type = "billing-run" });
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    Interlocked.Increment(ref accepted);
                }
                else if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref refused);
                }
                else
                {
                    Interlocked.Increment(ref unexpected);
                }
            }
        })).ToArray();

        // The flood has used up its bucket before the measured creates begin.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref refused) < 100)
        {
            Assert.True(DateTime.UtcNow < deadline, "The flood was never refused.");
            await Task.Delay(10);
        }

        var flooded = await MeasureAsync(steadyHttp, Samples);
        await stop.CancelAsync();
        await Task.WhenAll(flood);
        floodClock.Stop();

        var seconds = floodClock.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"flooding client (limit {FloodRate}/s, burst {FloodRate}; {Flooders} connections offering {OfferedPerSecond}/s) over {seconds:F1} s: {accepted} accepted, {refused} refused (429), {unexpected} other"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"steady client: {Samples} creates each phase, all accepted; without the flood p50 {quiet.P50:F2} ms p99 {quiet.P99:F2} ms; during it p50 {flooded.P50:F2} ms p99 {flooded.P99:F2} ms"));

        Assert.Equal(0, unexpected);
        Assert.InRange(accepted, 1, FloodRate + (FloodRate * Math.Ceiling(seconds)) + FloodRate);
        Assert.True(refused > accepted, $"{refused} refused, {accepted} accepted");
        var bound = Math.Max(3 * quiet.P99, 50);
        Assert.True(flooded.P99 < bound, $"p99 during the flood {flooded.P99:F2} ms, bound {bound:F2} ms");
        using var steadyClient = gateway.CreateClient(steady.ApiKey);
        Assert.Equal(50 + (2 * Samples), await CountAsync(steadyClient));
        using var flooderClient = gateway.CreateClient(flooder.ApiKey);
        Assert.Equal(accepted, await CountAsync(flooderClient));
    }

    private static async Task<bool> Tick(PeriodicTimer pace, CancellationToken stop)
    {
        try
        {
            return await pace.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static HttpClient Connect(GatewayFactory gateway, string apiKey)
    {
        var http = new HttpClient { BaseAddress = gateway.ServerAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    /// <summary>Creates one after another and times each; every one must be accepted.</summary>
    private static async Task<(double P50, double P99)> MeasureAsync(HttpClient http, int count)
    {
        var milliseconds = new double[count];
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.PostAsJsonAsync("/api/jobs", new { type = "billing-run" });
            milliseconds[i] = clock.Elapsed.TotalMilliseconds;
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        Array.Sort(milliseconds);
        return (milliseconds[(count * 50 / 100) - 1], milliseconds[(count * 99 / 100) - 1]);
    }

    /// <summary>How many jobs the client has, paging through its list.</summary>
    private static async Task<int> CountAsync(HttpClient client)
    {
        var count = 0;
        string? token = null;
        do
        {
            var page = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/jobs?pageSize=100" + (token is null ? "" : "&pageToken=" + token));
            count += page.GetProperty("items").GetArrayLength();
            token = page.GetProperty("nextPageToken").GetString();
        }
        while (token is not null);
        return count;
    }
}
