using JobGateway.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobGateway.Api.Tests.Swagger;

/// <summary>
/// Swagger UI as an operator sees it: the real Kestrel host, rendered by headless Chromium (the system's
/// browser; Playwright's own download is not used). Skipped locally without chromium; with CI=true it runs
/// and fails instead, and scripts/test.sh installs chromium.
/// </summary>
public sealed class SwaggerUiTests
{
    [ChromiumFact]
    public async Task SwaggerUi_RendersBothVendorSurfacesWithTheirExamplesAndTheSoapLinks()
    {
        using var gateway = new GatewayFactory().UseRealServer();
        var swagger = new Uri(gateway.ServerAddress, "/swagger/index.html");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var scriptErrors = new List<string>();
        page.PageError += (_, error) => scriptErrors.Add(error);

        await page.GotoAsync(swagger.ToString());

        var paths = page.Locator(".opblock-summary-path");
        await Expect(paths.First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var rendered = await paths.AllInnerTextsAsync();
        foreach (var path in new[] { "/v2/subscriptions/jobs", "/v2/subscriptions/jobs/{id}", "/api/v2/admin/tasks/account", "/api/v2/admin/tasks/account/run" })
        {
            Assert.Contains(path, rendered.Select(p => p.Replace("\u200B", string.Empty, StringComparison.Ordinal).Trim()));
        }

        foreach (var help in new[] { "/soap/t2a.asmx", "/1.0/customerapi.asmx", "/mmapi.asmx" })
        {
            await Expect(page.Locator($".info a[href='{help}']")).ToHaveCountAsync(1);
        }

        // Opening "Create a job" shows seed 004's request and Elastic Path's 401 body.
        var createJob = page.Locator(".opblock-post").Filter(new() { Has = page.Locator("[data-path='/v2/subscriptions/jobs']") });
        await createJob.Locator(".opblock-summary").First.ClickAsync();
        await Expect(createJob.Locator(".opblock-body")).ToContainTextAsync("tax_item", new() { Timeout = 15_000 });
        await Expect(createJob.Locator(".opblock-body")).ToContainTextAsync("Unable to validate access token");

        // Opening "Create a task" shows seed 002's request.
        var createTask = page.Locator(".opblock-post").Filter(new() { Has = page.Locator("[data-path='/api/v2/admin/tasks/account']") });
        await createTask.Locator(".opblock-summary").First.ClickAsync();
        await Expect(createTask.Locator(".opblock-body")).ToContainTextAsync("282325b9-d725-4afd-b11e-3d3b60172acd", new() { Timeout = 15_000 });

        // A link to an operation opens it (the page loaded anew), with its whole-body example; the native jobs API is the
        // first group.
        await page.GotoAsync(new Uri(gateway.ServerAddress, "/swagger/index.html#/Jobs/CreateJob").ToString());
        await page.ReloadAsync();
        var createNativeJob = page.Locator("#operations-Jobs-CreateJob");
        await Expect(createNativeJob.Locator(".opblock-body")).ToContainTextAsync("invoice-batch-42", new() { Timeout = 30_000 });
        await Expect(page.Locator(".opblock-tag").First).ToHaveAttributeAsync("data-tag", "Jobs");

        // Opening another operation puts its link in the address bar.
        await page.Locator("#operations-Jobs-GetJob .opblock-summary").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/Jobs/GetJob$"));

        // An XML body is drawn from the schema's XML names: the 2sms request in application/xml.
        await createTask.Locator(".opblock-summary").First.ClickAsync();
        await createTask.Locator(".opblock-section-request-body select").First.SelectOptionAsync("application/xml");
        await Expect(createTask.Locator(".opblock-section-request-body")).ToContainTextAsync("<AccountTaskRequest>", new() { Timeout = 15_000 });

        Assert.Empty(scriptErrors);
    }
}

/// <summary>
/// A test that needs /usr/bin/chromium: skipped when it is missing, unless CI=true (then it runs and fails,
/// so CI never silently loses it).
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = Chromium.Path;

    public ChromiumFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && !File.Exists(ChromiumPath))
        {
            Skip = $"{ChromiumPath} is not installed (apt-get install chromium); with CI=true this test fails instead.";
        }
    }
}
