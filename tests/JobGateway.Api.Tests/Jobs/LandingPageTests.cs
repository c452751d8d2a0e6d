using System.Net;
using System.Text.RegularExpressions;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Swagger;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobGateway.Api.Tests.Jobs;

/// <summary>
/// Where a newcomer starts: <c>GET /</c> is a page that links every surface (no key needed, no secret shown), and the
/// start-up log says where the gateway listens and where Swagger UI and the dashboard are.
/// </summary>
public sealed partial class LandingPageTests
{
    private static readonly string[] Surfaces =
        ["swagger", "swagger/v1/swagger.json", "dashboard", "soap/t2a.asmx", "1.0/customerapi.asmx", "mmapi.asmx", "health/ready", "metrics"];

    [Fact]
    public async Task Root_IsAPageLinkingEverySurface_WithoutAKey()
    {
        using var gateway = new GatewayFactory();
        using var anonymous = gateway.CreateClient(null);

        using var response = await anonymous.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(GatewayFactory.AdminKey, html, StringComparison.Ordinal);
        var links = Href().Matches(html).Select(m => m.Groups["href"].Value).ToList();
        Assert.Equal(Surfaces, links);

        // Every link leads somewhere: a page (Swagger UI and the dashboard's sign-in after a redirect), or the surface's
        // own refusal of a caller without a key.
        foreach (var link in links)
        {
            var target = await anonymous.GetAsync(new Uri("/" + link, UriKind.Relative));
            if (target.Headers.Location is { } location)
            {
                target.Dispose();
                target = await anonymous.GetAsync(location);
            }

            using (target)
            {
                Assert.True(target.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized, $"{link}: {(int)target.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task Root_LeavesOutTheDashboard_WhenItIsOff()
    {
        using var gateway = new GatewayFactory();
        gateway.Settings["Gateway:Dashboard:Enabled"] = "false";
        using var anonymous = gateway.CreateClient(null);

        var html = await anonymous.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.DoesNotContain("dashboard", Href().Matches(html).Select(m => m.Groups["href"].Value));
    }

    [Fact]
    public async Task TheStartUpLog_SaysWhereSwaggerAndTheDashboardAre()
    {
        await using var gateway = GatewayProcess.Start(new Dictionary<string, string> { ["Gateway__BootstrapAdminKey"] = GatewayFactory.AdminKey });
        await gateway.WaitUntilReadyAsync();
        var url = gateway.Address.GetLeftPart(UriPartial.Authority);

        var lines = await gateway.WaitForLinesAsync(l => l.Contains("Listening on", StringComparison.Ordinal));

        var line = Assert.Single(lines);
        Assert.Contains($"Listening on {url}: start at {url}/ (the surfaces), Swagger UI at {url}/swagger, the dashboard at {url}/dashboard", line, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task InABrowser_TheSwaggerLink_OpensSwaggerUi_WithTheJobsApiFirst()
    {
        using var gateway = new GatewayFactory().UseRealServer();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();

        await page.GotoAsync(gateway.ServerAddress.ToString());
        await Expect(page).ToHaveTitleAsync("JobGateway");
        await page.GetByRole(AriaRole.Link, new() { Name = "Swagger UI" }).ClickAsync();

        await Expect(page.Locator(".opblock-tag").First).ToHaveAttributeAsync("data-tag", "Jobs", new() { Timeout = 30_000 });
    }

    [GeneratedRegex("<a href=\"(?<href>[^\"]+)\">")]
    private static partial Regex Href();
}
