// A sample external worker for JobGateway, using nothing but HTTP and JSON: it fetches and locks jobs of
// the vendor types over the worker API, reports progress with a heartbeat, and completes each with a
// report in the shape every surface knows (Elastic Path report fields, MagnetMail record counters).
//
//   dotnet run --project samples/JobGateway.SampleWorker -- --url http://localhost:5000 --key <worker key> [--once]
//
// --once: handle what is ready, then exit (otherwise it long-polls forever). --types a,b: the types served.
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

var options = ParseArguments(args);
using var http = new HttpClient { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(90) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var handled = 0;
try
{
    while (!stop.IsCancellationRequested)
    {
        var fetch = await http.PostAsJsonAsync(
            "/api/worker/fetch",
            new { workerId = options.WorkerId, types = options.Types, maxJobs = 5, lockSeconds = 60, waitSeconds = options.Once ? 0 : 20 },
            stop.Token);
        fetch.EnsureSuccessStatusCode();
        var jobs = await fetch.Content.ReadFromJsonAsync<JsonElement[]>(stop.Token) ?? [];
        if (jobs.Length == 0 && options.Once)
        {
            break;
        }

        foreach (var job in jobs)
        {
            var id = job.GetProperty("id").GetGuid();
            var type = job.GetProperty("type").GetString()!;
            var number = job.GetProperty("number").GetInt64();
            var beat = await http.PostAsJsonAsync($"/api/worker/jobs/{id}/heartbeat", new { workerId = options.WorkerId, progress = 50 }, stop.Token);
            beat.EnsureSuccessStatusCode();
            if ((await beat.Content.ReadFromJsonAsync<JsonElement>(stop.Token)).GetProperty("cancellationRequested").GetBoolean())
            {
                (await http.PostAsJsonAsync($"/api/worker/jobs/{id}/cancelled", new { workerId = options.WorkerId }, stop.Token)).EnsureSuccessStatusCode();
                Console.WriteLine($"cancelled {type} job {number}");
                continue;
            }

            var done = await http.PostAsJsonAsync($"/api/worker/jobs/{id}/complete", new { workerId = options.WorkerId, report = ReportFor(type, number) }, stop.Token);
            done.EnsureSuccessStatusCode();
            handled++;
            Console.WriteLine($"completed {type} job {number}");
        }
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    // Ctrl+C: the locks of unfinished jobs run out and the gateway hands the jobs to another worker.
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"handled {handled} jobs"));
return 0;

// Deterministic figures from the job number, so a reader (and a test) can predict them.
static JsonObject ReportFor(string type, long number)
{
    var n = (int)(number % 90) + 10;
    static JsonObject Money(long amount, bool includesTax) => new() { ["amount"] = amount, ["includes_tax"] = includesTax };
    return type switch
    {
        "billing-run" => new JsonObject
        {
            ["invoices_ready_for_payment"] = n,
            ["invoices_tax_required"] = n / 10,
            ["invoice_failures"] = 0,
            ["total_ready_for_payment"] = new JsonObject { ["USD"] = Money(n * 1000L, false) },
            ["total_tax_required"] = new JsonObject { ["USD"] = Money(n * 100L, false) },
        },
        "tax-run" => new JsonObject { ["invoices_updated"] = n, ["invoice_failures"] = 0 },
        "payment-run" => new JsonObject
        {
            ["total_payment_attempts"] = n,
            ["failed_payments"] = 1,
            ["total_collected"] = new JsonObject { ["USD"] = Money((n - 1) * 1000L, true) },
        },
        "upload" => new JsonObject
        {
            ["total_records"] = n * 10,
            ["good_records"] = (n * 10) - 2,
            ["new_added"] = n * 6,
            ["old_updated"] = (n * 4) - 2,
            ["update_dups"] = 2,
            ["group_count"] = 1,
            ["groupid"] = 7000 + n,
        },
        _ => new JsonObject { ["processed"] = n },
    };
}

static SampleOptions ParseArguments(string[] args)
{
    string Value(string name, string? fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback ?? throw new ArgumentException($"{name} is required.");
    }

    return new SampleOptions(
        Value("--url", Environment.GetEnvironmentVariable("JOBGATEWAY_URL") ?? "http://localhost:5000"),
        Value("--key", Environment.GetEnvironmentVariable("JOBGATEWAY_KEY")),
        Value("--worker-id", $"sample-worker-{Environment.MachineName}-{Environment.ProcessId}"),
        Value("--types", "billing-run,tax-run,payment-run,t2a,upload,account-task").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        args.Contains("--once"));
}

internal sealed record SampleOptions(string Url, string Key, string WorkerId, string[] Types, bool Once);
