using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using JobGateway.Api.Tests.Execution;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Jobs;
using Xunit.Abstractions;

namespace JobGateway.Api.Tests.Resilience;

/// <summary>
/// A receiver on a real socket that accepts connections and never answers while <see cref="Hang"/> is set (it does not
/// even read the request), and answers 200 once it is cleared.
/// </summary>
public sealed class HangingReceiver : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private int _accepted;
    private int _answered;

    public HangingReceiver()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook";

    private volatile bool _hang = true;

    /// <summary>Whether new connections are held without an answer (else answered 200).</summary>
    public bool Hang
    {
        get => _hang;
        set => _hang = value;
    }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Requests answered (after <see cref="Hang"/> was cleared).</summary>
    public int Answered => Volatile.Read(ref _answered);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held)
        {
            _held.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            if (Hang)
            {
                lock (_held)
                {
                    _held.Add(client);
                }

                continue;
            }

            _ = AnswerAsync(client);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[64 * 1024];
            var received = new StringBuilder();
            int headerEnd;
            while ((headerEnd = received.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    return;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            var headers = received.ToString()[..headerEnd];
            var length = headers.Split("\r\n").Where(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                .Select(h => int.Parse(h["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
            var body = received.Length - headerEnd - 4;
            while (body < length)
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    return;
                }

                body += read;
            }

            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
            Interlocked.Increment(ref _answered);
        }
    }
}

/// <summary>
/// A webhook receiver that accepts the connection and never answers is cut off by the delivery timeout
/// (<c>Gateway:Execution:Webhooks:TimeoutSeconds</c>), other clients' webhooks go out meanwhile as if it were not
/// there, and its delivery is retried with back-off as any failed delivery is. The dispatcher runs as in production
/// (its background loop); the test moves the host's clock to make its rounds come.
/// </summary>
public sealed class SlowWebhookReceiverTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 3;

    [Fact]
    public async Task HangingReceiver_IsCutOffByTheTimeout_DoesNotDelayOtherClients_AndIsRetried()
    {
        using var gateway = new GatewayFactory();
        gateway.Settings["Gateway:Execution:Webhooks:TimeoutSeconds"] = TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        gateway.Settings["Gateway:Execution:Webhooks:RetryBaseSeconds"] = "5";
        gateway.Settings["Gateway:Execution:WebhookPollSeconds"] = "1";
        using var hanging = new HangingReceiver();
        await using var healthy = await WebhookReceiver.StartAsync();
        var slow = await TenantWithWebhookAsync(gateway, hanging.Url);
        var fast = await TenantWithWebhookAsync(gateway, healthy.Url);

        // The slow client's event goes out first, and its receiver takes the connection and says nothing.
        var slowJob = await FinishJobAsync(gateway, slow);
        await Until(() => hanging.Accepted >= 1, () => gateway.Time.Advance(TimeSpan.FromSeconds(1)), "the hanging receiver was never called");
        var hangStarted = Stopwatch.StartNew();

        // Meanwhile the other client's events are delivered at once, one round after each finishes.
        var fastJobs = new List<Guid>();
        var latencies = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            var finished = Stopwatch.StartNew();
            fastJobs.Add(await FinishJobAsync(gateway, fast));
            await Until(() => healthy.Received.Count >= i + 1, () => gateway.Time.Advance(TimeSpan.FromSeconds(1)), "the healthy receiver did not get its webhook");
            latencies.Add(finished.Elapsed);
        }

        var fastDone = hangStarted.Elapsed;
        var slowEventMeanwhile = (await EventsAsync(gateway, slow, slowJob))[^1];
        output.WriteLine($"healthy receiver: {string.Join(", ", latencies.Select(l => $"{l.TotalMilliseconds:0} ms"))} from finish to delivery while the other receiver hung ({fastDone.TotalSeconds:0.0} s into its {TimeoutSeconds} s timeout)");
        Assert.True(fastDone < TimeSpan.FromSeconds(TimeoutSeconds), $"the healthy client's deliveries took {fastDone.TotalSeconds:0.0} s, as long as the hanging receiver's timeout");
        Assert.Equal(0, slowEventMeanwhile.GetProperty("deliveryAttempts").GetInt32());
        Assert.All(latencies, l => Assert.True(l < TimeSpan.FromSeconds(2), $"a healthy delivery took {l.TotalMilliseconds:0} ms"));

        // The hung attempt ends at the timeout, is recorded as failed and is scheduled again.
        var failed = await UntilEventAsync(gateway, slow, slowJob, e => e.GetProperty("deliveryAttempts").GetInt32() == 1);
        var cutOffAfter = hangStarted.Elapsed;
        output.WriteLine($"hanging receiver cut off after {cutOffAfter.TotalSeconds:0.0} s (timeout {TimeoutSeconds} s)");
        Assert.Equal("timed out", failed.GetProperty("lastError").GetString());
        Assert.Equal("pending", failed.GetProperty("delivery").GetString());
        Assert.NotEqual(JsonValueKind.Null, failed.GetProperty("nextAttemptAt").ValueKind);
        Assert.True(cutOffAfter < TimeSpan.FromSeconds(TimeoutSeconds + 5), $"the hung delivery was cut off only after {cutOffAfter.TotalSeconds:0.0} s");

        // The receiver recovers; the retry (after RetryBaseSeconds on the host's clock) delivers the event.
        hanging.Hang = false;
        var delivered = await UntilEventAsync(gateway, slow, slowJob, e => e.GetProperty("delivery").GetString() == "delivered", advance: true);
        Assert.Equal(2, delivered.GetProperty("deliveryAttempts").GetInt32());
        Assert.Equal(1, hanging.Answered);
        Assert.Equal(3, healthy.Received.Count);
    }

    private static async Task<TestTenant> TenantWithWebhookAsync(GatewayFactory gateway, string url)
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);
        await JobsApiTests.ReadJsonAsync(await admin.PutAsJsonAsync($"/api/admin/clients/{tenant.ClientId}/webhook", new { url, notification = "ALWAYS" }));
        return tenant;
    }

    // Creates a job of a type only this test serves, fetches it and completes it: one event that wants a webhook.
    private static async Task<Guid> FinishJobAsync(GatewayFactory gateway, TestTenant tenant)
    {
        using var http = gateway.CreateClient(tenant.ApiKey);
        var type = "hook-" + Guid.NewGuid().ToString("N")[..8];
        var id = (await JobsApiTests.CreateAsync(http, type)).GetProperty("id").GetGuid();
        var worker = new WorkerClient(http, "w-" + type);
        Assert.Single(await worker.FetchAsync([type]));
        await WorkerClient.OkJsonAsync(worker.CompleteAsync(id));
        return id;
    }

    private static async Task<JsonElement[]> EventsAsync(GatewayFactory gateway, TestTenant tenant, Guid id)
    {
        using var http = gateway.CreateClient(tenant.ApiKey);
        return (await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}/events"))).EnumerateArray().ToArray();
    }

    private static async Task<JsonElement> UntilEventAsync(GatewayFactory gateway, TestTenant tenant, Guid id, Func<JsonElement, bool> done, bool advance = false)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var last = (await EventsAsync(gateway, tenant, id))[^1];
            if (done(last))
            {
                return last;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"the event never got there: {last}");
            if (advance)
            {
                gateway.Time.Advance(TimeSpan.FromSeconds(1));
            }

            await Task.Delay(50);
        }
    }

    // Polls a condition with a deadline, stepping the host's clock (its loops' rounds) between looks.
    private static async Task Until(Func<bool> condition, Action step, string failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), failure);
            step();
            await Task.Delay(20);
        }
    }
}
