using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Core;
using Npgsql;
using Xunit.Abstractions;

namespace JobGateway.Api.Tests.Resilience;

/// <summary>Skipped with a message when PostgreSQL is not installed, except under CI=true, where it fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DedicatedPostgresFactAttribute : FactAttribute
{
    public DedicatedPostgresFactAttribute()
    {
        if (DedicatedPostgres.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// PostgreSQL stopped and started again (<c>pg_ctl</c>) under a create and worker load on the built gateway, run as a
/// process on a server of the test's own. While the server is down every surface answers 503 in its dialect at once
/// (not after a hang), <c>/health/ready</c> reports the outage; when it is back the gateway recovers by itself, every
/// acknowledged create is found, and no job ever had two attempts running at once (the outbox's status changes).
/// </summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    private const string AdminKey = "outage-admin-key-0123456789abcdef";
    private const string ExternalType = "outage-ext";
    private const int RequestTimeoutSeconds = 10;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(4);

    [DedicatedPostgresFact]
    public async Task PostgresRestart_UnderLoad_Answers503_RecoversByItself_LosesNothing_RunsNothingTwiceAtOnce()
    {
        await using var postgres = await DedicatedPostgres.StartAsync();
        await using var gateway = GatewayProcess.Start(new Dictionary<string, string>
        {
            ["Gateway__BootstrapAdminKey"] = AdminKey,
            ["Gateway__Database__Provider"] = "PostgreSql",
            ["Gateway__Database__ConnectionString"] = postgres.ConnectionString,
            ["Gateway__RequestTimeoutSeconds"] = RequestTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway__Execution__LeaseSeconds"] = "5",
            ["Gateway__Execution__LeaseSweepSeconds"] = "1",
            ["Gateway__Execution__IdlePollSeconds"] = "1",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        });
        await gateway.WaitUntilReadyAsync();
        var (clientId, key) = await CreateTenantAsync(gateway.Address);
        using var http = Client(gateway.Address, key);
        using var anonymous = Client(gateway.Address, null);
        var probes = await DialectProbes.PrepareAsync(http, key);

        using var stopLoad = new CancellationTokenSource();
        using var stopWorker = new CancellationTokenSource();
        var load = new Load();
        var creators = Enumerable.Range(0, 4).Select(i => load.CreateAsync(http, i, stopLoad.Token)).ToArray();
        var worker = load.WorkAsync(http, stopWorker.Token);
        await Until(() => load.Acknowledged.Count >= 300, TimeSpan.FromSeconds(60), "the load never got going");

        // The server goes away.
        var acknowledgedBefore = load.Acknowledged.Count;
        await postgres.StopAsync();
        var down = Stopwatch.StartNew();
        var whileDown = await probes.CreateOnEveryDialectAsync();
        using var readyWhileDown = await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative));
        foreach (var answer in whileDown)
        {
            output.WriteLine($"while down, {answer.Dialect}: {(int)answer.Status} in {answer.Elapsed.TotalMilliseconds:0} ms: {answer.Body}");
        }

        DialectProbes.AssertRefused(whileDown, 503, StoreFailureMessages.Code(StoreFailure.Unavailable), StoreFailureMessages.Message(StoreFailure.Unavailable));
        Assert.All(whileDown, a => Assert.True(a.Elapsed < TimeSpan.FromSeconds(RequestTimeoutSeconds), $"{a.Dialect} took {a.Elapsed.TotalSeconds:0.0} s"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyWhileDown.StatusCode);
        while (down.Elapsed < Outage)
        {
            await Task.Delay(100);
        }

        // It comes back: no restart of the gateway, just the next requests.
        await postgres.StartAgainAsync();
        var up = Stopwatch.StartNew();
        var outage = down.Elapsed;
        var refusedWhileDown = load.Refused.Count;
        TimeSpan? ready = null;
        TimeSpan? created = null;
        while ((ready is null || created is null) && up.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (ready is null && (await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
            {
                ready = up.Elapsed;
            }

            if (created is null && (await probes.CreateAsync("native")).Status == HttpStatusCode.Accepted)
            {
                created = up.Elapsed;
            }

            await Task.Delay(50);
        }

        Assert.True(ready is not null && created is not null, $"the gateway did not recover within 60 s:\n{string.Join('\n', gateway.Lines.TakeLast(40))}");
        var afterRecovery = await probes.CreateOnEveryDialectAsync();
        Assert.All(afterRecovery, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted, $"{a.Dialect}: {(int)a.Status} {a.Body}"));
        // The instance listens for other instances' jobs again (its LISTEN connection came back by itself).
        await using (var monitor = new NpgsqlConnection(postgres.ConnectionString))
        {
            await monitor.OpenAsync();
            var deadline = Stopwatch.StartNew();
            while (!await ListeningAsync(monitor))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the gateway never listened again");
                await Task.Delay(50);
            }
        }

        var listening = up.Elapsed;
        var acknowledgedAtRecovery = load.Acknowledged.Count;
        await Until(() => load.Acknowledged.Count >= acknowledgedAtRecovery + 300, TimeSpan.FromSeconds(60), "the load did not pick up again");
        await stopLoad.CancelAsync();
        await Task.WhenAll(creators);

        // Every acknowledged job is stored, and every one runs to the end (jobs whose outcome was lost in the outage run
        // again once their lease runs out).
        var acknowledged = load.Acknowledged.Keys.ToArray();
        await using var db = new NpgsqlConnection(postgres.ConnectionString);
        await db.OpenAsync();
        var found = await CountAsync(db, """SELECT count(*) FROM "Jobs" WHERE "Id" = ANY(@ids)""", acknowledged);
        var finishDeadline = Stopwatch.StartNew();
        long succeeded;
        while ((succeeded = await CountAsync(db, """SELECT count(*) FROM "Jobs" WHERE "Id" = ANY(@ids) AND "Status" = 2""", acknowledged)) < acknowledged.Length
            && finishDeadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(250);
        }

        await stopWorker.CancelAsync();
        await worker;

        // No attempt started while another was running: in each job's status changes, a start always follows the end of the last.
        var runs = await RunsAsync(db, clientId);
        output.WriteLine($"outage {outage.TotalSeconds:0.0} s; gateway ready {ready!.Value.TotalSeconds:0.00} s and creating {created!.Value.TotalSeconds:0.00} s after PostgreSQL was back");
        output.WriteLine($"listening for notifications again {listening.TotalSeconds:0.00} s after PostgreSQL was back");
        output.WriteLine($"acknowledged {acknowledged.Length} (before the stop {acknowledgedBefore}), found {found}, succeeded {succeeded}");
        output.WriteLine($"load refused {load.Refused.Count} creates ({refusedWhileDown} by the end of the outage): {string.Join(", ", load.Refused.GroupBy(r => r).Select(g => $"{g.Key} ×{g.Count()}"))}");
        output.WriteLine($"worker calls refused {load.WorkerRefused.Count}: {string.Join(", ", load.WorkerRefused.GroupBy(r => r).Select(g => $"{g.Key} ×{g.Count()}"))}");
        output.WriteLine($"jobs run more than once (one after the other): {runs.Count(r => r.Value.Starts > 1)}; longest refusal {load.LongestRefusal.TotalMilliseconds:0} ms");

        Assert.Equal(acknowledged.Length, found);
        Assert.Equal(acknowledged.Length, succeeded);
        Assert.True(!load.Refused.IsEmpty, "no create was refused: the outage did not happen under load");
        Assert.All(load.Refused, r => Assert.StartsWith("503 ", r, StringComparison.Ordinal));
        Assert.All(load.WorkerRefused, r => Assert.StartsWith("503 ", r, StringComparison.Ordinal));
        Assert.True(load.LongestRefusal < TimeSpan.FromSeconds(RequestTimeoutSeconds), $"a refusal took {load.LongestRefusal.TotalSeconds:0.0} s");
        Assert.Empty(runs.Where(r => r.Value.Overlapped).Select(r => r.Key));
        Assert.All(runs, r => Assert.True(r.Value.Successes <= 1, $"job {r.Key} succeeded {r.Value.Successes} times"));
        Assert.Empty(load.Failures);
    }

    private static HttpClient Client(Uri address, string? key)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    private static async Task<(Guid ClientId, string Key)> CreateTenantAsync(Uri address)
    {
        using var admin = Client(address, AdminKey);
        var response = await admin.PostAsJsonAsync("/api/admin/clients", new { name = "outage-" + Guid.NewGuid().ToString("N")[..8], roles = new[] { "client", "worker" } });
        response.EnsureSuccessStatusCode();
        var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (created.GetProperty("client").GetProperty("id").GetGuid(), created.GetProperty("apiKey").GetProperty("key").GetString()!);
    }

    // A backend of the gateway whose last statement was its LISTEN: the listener is subscribed.
    private static async Task<bool> ListeningAsync(NpgsqlConnection monitor)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN jobgateway_jobs'", monitor);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private static async Task<long> CountAsync(NpgsqlConnection db, string sql, Guid[] ids)
    {
        await using var command = new NpgsqlCommand(sql, db);
        command.Parameters.AddWithValue("ids", ids);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // Walks each job's status changes in commit order: an attempt starts (→ Running) and ends (Running →); a start while
    // an attempt is running would be two at once.
    private static async Task<Dictionary<Guid, (int Starts, int Successes, bool Overlapped)>> RunsAsync(NpgsqlConnection db, Guid clientId)
    {
        var runs = new Dictionary<Guid, (int Starts, int Successes, bool Overlapped)>();
        var running = new HashSet<Guid>();
        await using var command = new NpgsqlCommand("""SELECT "JobId", "FromStatus", "ToStatus" FROM "JobEvents" WHERE "ClientId" = @client ORDER BY "Id" """, db);
        command.Parameters.AddWithValue("client", clientId);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var (job, from, to) = (reader.GetGuid(0), reader.GetInt32(1), reader.GetInt32(2));
            var run = runs.GetValueOrDefault(job);
            if (from == 1)
            {
                running.Remove(job);
            }

            if (to == 1)
            {
                run.Starts++;
                run.Overlapped |= !running.Add(job);
            }

            if (to == 2)
            {
                run.Successes++;
            }

            runs[job] = run;
        }

        return runs;
    }

    private static async Task Until(Func<bool> condition, TimeSpan timeout, string failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < timeout, failure);
            await Task.Delay(50);
        }
    }

    /// <summary>Creates (in-process <c>noop</c> jobs and external ones) and an HTTP worker, recording every answer.</summary>
    private sealed class Load
    {
        private long _longestRefusalTicks;

        public ConcurrentDictionary<Guid, byte> Acknowledged { get; } = new();

        public ConcurrentBag<string> Refused { get; } = [];

        public ConcurrentBag<string> WorkerRefused { get; } = [];

        public ConcurrentBag<string> Failures { get; } = [];

        public TimeSpan LongestRefusal => TimeSpan.FromTicks(Interlocked.Read(ref _longestRefusalTicks));

        public async Task CreateAsync(HttpClient http, int loop, CancellationToken stop)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs")
                {
                    Content = JsonContent.Create(new { type = (i + loop) % 2 == 0 ? "noop" : ExternalType, name = $"load {loop}/{i}" }),
                };
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
                await SendAsync(http, request, Refused, ok => Acknowledged.TryAdd(ok.GetProperty("id").GetGuid(), 0));
            }
        }

        public async Task WorkAsync(HttpClient http, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                JsonElement fetched = default;
                using (var fetch = new HttpRequestMessage(HttpMethod.Post, "/api/worker/fetch")
                {
                    Content = JsonContent.Create(new { workerId = "outage-worker", types = new[] { ExternalType }, maxJobs = 20, lockSeconds = 5, waitSeconds = 1 }),
                })
                {
                    await SendAsync(http, fetch, WorkerRefused, ok => fetched = ok);
                }

                if (fetched.ValueKind != JsonValueKind.Array || fetched.GetArrayLength() == 0)
                {
                    continue;
                }

                var jobs = fetched.EnumerateArray().Select(j => new { id = j.GetProperty("id").GetGuid(), report = (object?)null }).ToArray();
                using var complete = new HttpRequestMessage(HttpMethod.Post, "/api/worker/complete")
                {
                    Content = JsonContent.Create(new { workerId = "outage-worker", jobs }),
                };
                await SendAsync(http, complete, WorkerRefused, _ => { });
            }
        }

        // Success: the callback; 503: a refusal (with how long it took); anything else (a 500, a hang, a dropped
        // connection): a failure of the test.
        private async Task SendAsync(HttpClient http, HttpRequestMessage request, ConcurrentBag<string> refused, Action<JsonElement> ok)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode)
                {
                    ok(JsonDocument.Parse(body).RootElement.Clone());
                    return;
                }

                var code = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                    ? JsonDocument.Parse(body).RootElement.GetProperty("code").GetString()
                    : body;
                refused.Add($"{(int)response.StatusCode} {code}");
                var ticks = clock.Elapsed.Ticks;
                long seen;
                while (ticks > (seen = Interlocked.Read(ref _longestRefusalTicks)) && Interlocked.CompareExchange(ref _longestRefusalTicks, ticks, seen) != seen)
                {
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Failures.Add($"{request.RequestUri}: {ex.Message}");
            }
        }
    }
}
