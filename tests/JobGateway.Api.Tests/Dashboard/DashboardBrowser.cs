using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using JobGateway.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobGateway.Api.Tests.Dashboard;

/// <summary>
/// The real gateway on Kestrel and one headless Chromium for a test class; each test opens a browser context of its own
/// (its own cookies). Nothing is launched when chromium is missing: the tests are skipped then (see ChromiumFact).
/// </summary>
public sealed partial class DashboardBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public GatewayFactory Gateway { get; } = new GatewayFactory().UseRealServer();

    /// <summary>Where the tests save their screenshots: the test output directory.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (File.Exists(Chromium.Path))
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await Chromium.LaunchAsync(_playwright);
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Gateway.DisposeAsync();
    }

    /// <summary>A fresh browser context (no cookies) on the gateway, and its first page; script errors are collected.</summary>
    public async Task<DashboardSession> OpenAsync()
    {
        Assert.True(_browser is not null, $"{Chromium.Path} is missing: apt-get install chromium (scripts/test.sh does).");
        var context = await _browser.NewContextAsync(new()
        {
            BaseURL = Gateway.ServerAddress.ToString().TrimEnd('/'),
            ViewportSize = new() { Width = 1360, Height = 860 },
        });
        var page = await context.NewPageAsync();
        var session = new DashboardSession(context, page);
        page.PageError += (_, error) => session.ScriptErrors.Add(error);
        page.Console += (_, message) =>
        {
            // A page a test expects to be refused (a wrong key's 401, another client's job's 404) logs its status too.
            if (message.Type == "error" && !ExpectedRefusal().IsMatch(message.Text))
            {
                session.ScriptErrors.Add(message.Text);
            }
        };
        return session;
    }

    [GeneratedRegex("^Failed to load resource: the server responded with a status of (401|404)")]
    private static partial Regex ExpectedRefusal();

    /// <summary>A client of the gateway's API over its real listener, with a bearer key.</summary>
    public HttpClient Api(string? apiKey)
    {
        var http = new HttpClient { BaseAddress = Gateway.ServerAddress };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return http;
    }
}

/// <summary>One operator's browser: a context with its cookies, and a page in it.</summary>
public sealed class DashboardSession(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page => page;

    public IBrowserContext Context => context;

    /// <summary>Script errors and console errors (a content-security-policy refusal shows as one).</summary>
    public List<string> ScriptErrors { get; } = [];

    /// <summary>Signs in with <paramref name="key"/> from the sign-in page and waits for the overview.</summary>
    public async Task SignInAsync(string key)
    {
        await page.GotoAsync("/dashboard/sign-in");
        await page.FillAsync("#key", key);
        await page.ClickAsync("form button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard$"));
    }

    /// <summary>Saves a full-page screenshot to the test output directory.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(DashboardBrowser.ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardBrowser.ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
