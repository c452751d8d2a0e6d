using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using JobGateway.Api.Tests.AccountTasks;
using JobGateway.Api.Tests.Execution;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Jobs;
using JobGateway.Api.Tests.Soap;
using JobGateway.Api.Tests.Swagger;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobGateway.Api.Tests.Dashboard;

/// <summary>
/// The dashboard as an operator uses it: headless Chromium against the real Kestrel host, every action a click, every
/// change driven through the gateway's real surfaces (SOAP, the native API, the worker API). Each test saves a
/// screenshot of the pages it visits to the test output directory (screenshots/).
/// </summary>
public sealed class DashboardBrowserTests(DashboardBrowser browser) : IClassFixture<DashboardBrowser>
{
    // Live parts poll every 2 to 5 s: a change must show within a few polls.
    private static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 20_000 };

    private GatewayFactory Gateway => browser.Gateway;

    [ChromiumFact]
    public async Task AnonymousVisit_IsSentToSignIn_ThenBackToWhereItWasGoing()
    {
        await using var session = await browser.OpenAsync();
        var page = session.Page;

        await page.GotoAsync("/dashboard/jobs?status=failed");
        await Expect(page).ToHaveURLAsync(new Regex(@"/dashboard/sign-in\?ReturnUrl=%2Fdashboard%2Fjobs%3Fstatus%3Dfailed$"));
        await session.ScreenshotAsync("sign-in");

        await page.FillAsync("#key", "not-a-gateway-key-0123456789");
        await page.ClickAsync("form button[type=submit]");
        await Expect(page.Locator(".problem")).ToHaveTextAsync("That key is not valid.");

        await page.FillAsync("#key", GatewayFactory.AdminKey);
        await page.ClickAsync("form button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard/jobs\\?status=failed$"));
        await Expect(page.Locator("input[name=status][value=failed]")).ToBeCheckedAsync();

        // The cookie holds no key; the fragments the pages poll are refused once signed out, and the page goes back.
        var cookie = Assert.Single(await session.Context.CookiesAsync(), c => c.Name == "jobgateway.dashboard");
        Assert.DoesNotContain(GatewayFactory.AdminKey, cookie.Value, StringComparison.Ordinal);
        Assert.True(cookie.HttpOnly);
        Assert.Equal("/dashboard", cookie.Path);
        await page.ClickAsync("header button:has-text('Sign out')");
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard/sign-in$"));
        Assert.Empty(session.ScriptErrors);
    }

    [ChromiumFact]
    public async Task SoapJob_AppearsInTheListWithoutAReload_AndItsDetailShowsItsHistory()
    {
        var tenant = await Gateway.CreateTenantAsync("client", "worker");
        await using var session = await browser.OpenAsync();
        var page = session.Page;
        await session.SignInAsync(GatewayFactory.AdminKey);
        await page.GotoAsync($"/dashboard/jobs?client={tenant.ClientId}");
        await Expect(page.Locator(".empty")).ToHaveTextAsync("No jobs match.");

        // A mark on the window that a reload would lose.
        await page.EvaluateAsync("() => window.notReloaded = true");
        var label = "soap-" + Guid.NewGuid().ToString("N")[..8];
        using var http = browser.Api(null);
        var reply = await SoapHttp.PostAsync(http, SoapHttp.T2APath, Envelopes.Soap11Type,
            Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, label)), "\"https://api.t2a.io/soap/job_create\"");
        Assert.Equal(HttpStatusCode.OK, reply.Status);

        var row = page.Locator("#job-rows tbody tr", new() { HasText = label });
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("soap-t2a");
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the list reloaded the page");
        await session.ScreenshotAsync("jobs");

        // Its detail, while an external worker runs it to success: the history grows by itself.
        await row.Locator("td a").First.ClickAsync();
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("pending");
        using var api = browser.Api(tenant.ApiKey);
        var worker = new WorkerClient(api, "w-soap-history");
        var fetched = Assert.Single(await worker.FetchAsync(["t2a"]));
        await WorkerClient.OkJsonAsync(worker.CompleteAsync(fetched.GetProperty("id").GetGuid(), new { records = 12, total = 3400 }));

        await Expect(page.Locator("#job-status")).ToHaveTextAsync("succeeded", Live);
        var history = page.Locator("table.history tbody tr");
        await Expect(history).ToHaveCountAsync(3, new() { Timeout = 20_000 });
        await Expect(history.Nth(0)).ToContainTextAsync("via soap-t2a");
        await Expect(history.Nth(1)).ToContainTextAsync("pending → running");
        await Expect(history.Nth(2)).ToContainTextAsync("running → succeeded");
        await Expect(page.Locator("#report")).ToContainTextAsync("\"total\": 3400");
        await session.ScreenshotAsync("job-detail");
        Assert.Empty(session.ScriptErrors);
    }

    [ChromiumFact]
    public async Task JobFailedByAnHttpWorker_IsRetriedFromThePage_AndSeenGoingToSucceeded()
    {
        var tenant = await Gateway.CreateTenantAsync("client", "worker");
        using var api = browser.Api(tenant.ApiKey);
        var type = "retry-" + Guid.NewGuid().ToString("N")[..8];
        var id = (await JobsApiTests.CreateAsync(api, type)).GetProperty("id").GetGuid();
        var worker = new WorkerClient(api, "w-retry");
        Assert.Single(await worker.FetchAsync([type]));
        await WorkerClient.OkJsonAsync(worker.FailAsync(id, "upstream_down", "The upstream service answered 503.", retry: false));

        await using var session = await browser.OpenAsync();
        var page = session.Page;
        await session.SignInAsync(tenant.ApiKey);
        await page.GotoAsync($"/dashboard/jobs/{id}");
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("failed");
        await Expect(page.Locator(".state")).ToContainTextAsync("The upstream service answered 503.");
        await Expect(page.Locator("#cancel")).ToHaveCountAsync(0);

        await page.ClickAsync("#retry");
        await Expect(page.Locator(".notice")).ToContainTextAsync("queued again for a new attempt");
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("pending");
        await Expect(page.Locator("#retry")).ToHaveCountAsync(0);

        // The worker's long poll takes the new attempt and completes it; the page follows without a click.
        var fetched = Assert.Single(await worker.FetchAsync([type], waitSeconds: 10));
        Assert.Equal(2, fetched.GetProperty("attempts").GetInt32());
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("running", Live);
        await WorkerClient.OkJsonAsync(worker.CompleteAsync(id, new { ok = true }));
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("succeeded", Live);
        await Expect(page.Locator("table.history")).ToContainTextAsync("failed → pending");
        Assert.Equal("succeeded", (await JobsApiTests.ReadJsonAsync(await api.GetAsync($"/api/jobs/{id}"))).GetProperty("status").GetString());
        Assert.Empty(session.ScriptErrors);
    }

    [ChromiumFact]
    public async Task Cancel_FromThePage_CancelsAPendingJob_AndDeleteRemovesIt()
    {
        var tenant = await Gateway.CreateTenantAsync();
        using var api = browser.Api(tenant.ApiKey);
        var id = (await JobsApiTests.CreateAsync(api, "cancel-" + Guid.NewGuid().ToString("N")[..8])).GetProperty("id").GetGuid();

        await using var session = await browser.OpenAsync();
        var page = session.Page;
        await session.SignInAsync(GatewayFactory.AdminKey);
        await page.GotoAsync($"/dashboard/jobs/{id}");
        await page.ClickAsync("#cancel");

        await Expect(page.Locator(".notice")).ToContainTextAsync("was cancelled");
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("cancelled");
        Assert.Equal("cancelled", (await JobsApiTests.ReadJsonAsync(await api.GetAsync($"/api/jobs/{id}"))).GetProperty("status").GetString());

        await page.ClickAsync("details.danger summary");
        await page.ClickAsync("#delete");
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard/jobs$"));
        await Expect(page.Locator(".notice")).ToContainTextAsync("was deleted");
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/jobs/{id}")).StatusCode);
        Assert.Empty(session.ScriptErrors);
    }

    [ChromiumFact]
    public async Task ClientKey_SeesOnlyItsClientsJobs_AndTheOverviewCountsThemLive()
    {
        var (mine, theirs) = (await Gateway.CreateTenantAsync(), await Gateway.CreateTenantAsync());
        using var myApi = browser.Api(mine.ApiKey);
        using var theirApi = browser.Api(theirs.ApiKey);
        var myJob = (await JobsApiTests.CreateAsync(myApi, "mine")).GetProperty("id").GetGuid();
        await JobsApiTests.CreateAsync(myApi, "mine");
        var theirJob = (await JobsApiTests.CreateAsync(theirApi, "theirs")).GetProperty("id").GetGuid();

        await using var session = await browser.OpenAsync();
        var page = session.Page;
        await session.SignInAsync(mine.ApiKey);
        await Expect(page.Locator("[data-count=pending]")).ToHaveTextAsync("2");
        await Expect(page.Locator("#activity-chart")).ToHaveAttributeAsync("data-totals", "created 2, succeeded 0, failed 0");

        // Another create shows in the counts and the chart without a reload.
        await JobsApiTests.CreateAsync(myApi, "mine");
        await Expect(page.Locator("[data-count=pending]")).ToHaveTextAsync("3", Live);
        await Expect(page.Locator("#activity-chart")).ToHaveAttributeAsync("data-totals", "created 3, succeeded 0, failed 0", new() { Timeout = 20_000 });
        await Expect(page.Locator("#activity-chart polyline")).ToHaveCountAsync(3);

        await page.GotoAsync("/dashboard/jobs");
        await Expect(page.Locator("#job-rows tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator($"#job-rows tr[data-job='{myJob}']")).ToHaveCountAsync(1);
        await Expect(page.Locator($"#job-rows tr[data-job='{theirJob}']")).ToHaveCountAsync(0);
        await Expect(page.Locator("select[name=client]")).ToHaveCountAsync(0);

        // Another client's job reads as absent, and its actions are refused as absent too.
        var response = await page.GotoAsync($"/dashboard/jobs/{theirJob}");
        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Job not found");
        Assert.Empty(session.ScriptErrors);
    }

    [ChromiumFact]
    public async Task Post_WithoutItsAntiforgeryToken_IsRefused_AndChangesNothing()
    {
        var tenant = await Gateway.CreateTenantAsync();
        using var api = browser.Api(tenant.ApiKey);
        var id = (await JobsApiTests.CreateAsync(api, "csrf")).GetProperty("id").GetGuid();
        await using var session = await browser.OpenAsync();
        await session.SignInAsync(GatewayFactory.AdminKey);

        // The browser's own cookies, as a forged cross-site form would send them, but no token in the form.
        var forged = await session.Page.APIRequest.PostAsync($"/dashboard/jobs/{id}?handler=Cancel", new() { Form = session.Context.APIRequest.CreateFormData() });
        var forgedTask = await session.Page.APIRequest.PostAsync("/dashboard/sign-out", new() { Form = session.Context.APIRequest.CreateFormData() });

        Assert.Equal(400, forged.Status);
        Assert.Equal(400, forgedTask.Status);
        Assert.Equal("pending", (await JobsApiTests.ReadJsonAsync(await api.GetAsync($"/api/jobs/{id}"))).GetProperty("status").GetString());
        await session.Page.GotoAsync($"/dashboard/jobs/{id}");
        await Expect(session.Page.Locator("#job-status")).ToHaveTextAsync("pending");
    }

    [ChromiumFact]
    public async Task Overview_Workers_AndTasks_ShowWhatRuns_AndTasksRunFromThePage()
    {
        var tenant = await Gateway.CreateTenantAsync("client", "worker");
        using var api = browser.Api(tenant.ApiKey);

        // Forty minutes of work on the gateway's clock: a few reports created each minute, most succeed, some fail.
        var reports = new WorkerClient(api, "report-worker-2");
        var (created, succeeded, failed) = (0, 0, 0);
        for (var minute = 0; minute < 40; minute++)
        {
            var count = 2 + (minute * 7 % 5);
            for (var i = 0; i < count; i++)
            {
                await JobsApiTests.CreateAsync(api, "usage-report");
            }

            var fetched = await reports.FetchAsync(["usage-report"], maxJobs: count);
            foreach (var (job, i) in fetched.Select((j, i) => (j.GetProperty("id").GetGuid(), i)))
            {
                if ((i + minute) % 9 == 0)
                {
                    await WorkerClient.OkJsonAsync(reports.FailAsync(job, "smtp_down", "The mail relay refused the report.", retry: false));
                    failed++;
                }
                else
                {
                    await WorkerClient.OkJsonAsync(reports.CompleteAsync(job, new { rows = 100 + i }));
                    succeeded++;
                }
            }

            created += count;
            Gateway.Time.Advance(TimeSpan.FromMinutes(1));
        }

        for (var i = 0; i < 4; i++)
        {
            await JobsApiTests.CreateAsync(api, "billing-run", externalRef: $"inv-{i}");
        }

        // An external worker holds one job; another succeeded with one and failed another.
        var worker = new WorkerClient(api, "billing-worker-1");
        var held = Assert.Single(await worker.FetchAsync(["billing-run"], lockSeconds: 300)).GetProperty("id").GetGuid();
        var taxWorker = new WorkerClient(api, "tax-worker-7");
        var tax = (await JobsApiTests.CreateAsync(api, "tax-run")).GetProperty("id").GetGuid();
        var failing = (await JobsApiTests.CreateAsync(api, "tax-run")).GetProperty("id").GetGuid();
        Assert.Equal(2, (await taxWorker.FetchAsync(["tax-run"], maxJobs: 2)).Length);
        await WorkerClient.OkJsonAsync(taxWorker.CompleteAsync(tax, new { invoices_updated = 12 }));
        await WorkerClient.OkJsonAsync(taxWorker.FailAsync(failing, "tax_service", "Tax service timed out.", retry: false));

        var task = await AccountTaskTestSupport.CreateAsync(api, change: body => body["Name"] = "Nightly usage report");
        var taskId = task.GetProperty("ID").GetString();

        // The tenant's own view of the hour, exactly (the docs show it); then the admin's.
        await using var session = await browser.OpenAsync();
        var page = session.Page;
        await session.SignInAsync(tenant.ApiKey);
        await Expect(page.Locator("#activity-chart")).ToHaveAttributeAsync("data-totals", $"created {created + 6}, succeeded {succeeded + 1}, failed {failed + 1}");
        await Expect(page.Locator("[data-count=failed]")).ToHaveTextAsync((failed + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await session.ScreenshotAsync("overview");
        await page.ClickAsync("header button:has-text('Sign out')");
        await session.SignInAsync(GatewayFactory.AdminKey);
        await Expect(page.Locator("#activity-chart polyline")).ToHaveCountAsync(3);
        await session.ScreenshotAsync("overview-admin");

        await page.GotoAsync("/dashboard/workers");
        var workerRow = page.Locator("tr[data-worker='billing-worker-1']");
        await Expect(workerRow).ToContainTextAsync("fetch");
        await Expect(workerRow).ToContainTextAsync("billing-run");
        await Expect(page.Locator($"a[href='/dashboard/jobs/{held}']").First).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-worker='tax-worker-7']")).ToContainTextAsync("fail");
        await session.ScreenshotAsync("workers");

        await page.GotoAsync("/dashboard/tasks");
        var row = page.Locator($"tr[data-task='{taskId}']");
        await Expect(row).ToContainTextAsync("Nightly usage report");
        await Expect(row).ToContainTextAsync("never");
        await row.Locator("button:has-text('Run now')").ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("Nightly usage report runs now as job");
        await Expect(row).ToContainTextAsync("by admin");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("pending");
        await row.Locator("button:has-text('Disable')").ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("is disabled");
        await Expect(row).ToContainTextAsync("disabled");
        await session.ScreenshotAsync("tasks");

        // The run is a job of the dashboard's surface, in the task's client.
        var runs = (await JobsApiTests.ReadJsonAsync(await api.GetAsync("/api/jobs?type=account-task"))).GetProperty("items");
        Assert.Equal(1, runs.GetArrayLength());
        await page.GotoAsync($"/dashboard/jobs?surface=dashboard&client={tenant.ClientId}");
        await Expect(page.Locator("#job-rows tbody tr")).ToHaveCountAsync(1);
        Assert.Empty(session.ScriptErrors);
    }

    [ChromiumFact]
    public async Task RevokedKey_EndsItsSession()
    {
        var tenant = await Gateway.CreateTenantAsync();
        await using var session = await browser.OpenAsync();
        var page = session.Page;
        await session.SignInAsync(tenant.ApiKey);

        using var admin = browser.Api(GatewayFactory.AdminKey);
        (await admin.DeleteAsync($"/api/admin/clients/{tenant.ClientId}/keys/{tenant.KeyId}")).EnsureSuccessStatusCode();
        Gateway.Time.Advance(TimeSpan.FromSeconds(11));

        await page.GotoAsync("/dashboard/jobs");
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard/sign-in"));
    }
}
