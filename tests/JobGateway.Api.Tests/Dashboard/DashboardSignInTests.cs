using System.Net;
using System.Text.RegularExpressions;
using JobGateway.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace JobGateway.Api.Tests.Dashboard;

/// <summary>The dashboard's sign-in and its cookie over plain HTTP: what a browser relies on but cannot show.</summary>
public sealed partial class DashboardSignInTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task WorkerOnlyKey_CannotSignIn_AndNeitherCanAKeyOfADisabledClient()
    {
        var worker = await gateway.CreateTenantAsync("worker");
        var disabled = await gateway.CreateTenantAsync();
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);
        (await admin.PostAsync($"/api/admin/clients/{disabled.ClientId}/disable", null)).EnsureSuccessStatusCode();

        var refusedWorker = await SignInAsync(NewBrowser(gateway), worker.ApiKey);
        var refusedDisabled = await SignInAsync(NewBrowser(gateway), disabled.ApiKey);

        Assert.Equal(HttpStatusCode.Forbidden, refusedWorker.StatusCode);
        Assert.Contains("worker keys cannot sign in", await refusedWorker.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedDisabled.StatusCode);
        Assert.Contains("That key is not valid.", await refusedDisabled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirects_NameNoHostFromTheRequest_AndFragmentsAnswer401()
    {
        using var anonymous = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var page = new HttpRequestMessage(HttpMethod.Get, "/dashboard/jobs");
        page.Headers.Host = "attacker.example";
        page.Headers.Add("X-Forwarded-Host", "attacker.example");

        var redirected = await anonymous.SendAsync(page);
        using var fragment = new HttpRequestMessage(HttpMethod.Get, "/dashboard/jobs?handler=rows");
        fragment.Headers.Add("X-Dashboard-Fragment", "1");
        var refused = await anonymous.SendAsync(fragment);

        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal("/dashboard/sign-in?ReturnUrl=%2Fdashboard%2Fjobs", redirected.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task SignIn_IgnoresAReturnUrlOutsideTheDashboard()
    {
        using var browser = NewBrowser(gateway);
        var landed = await SignInAsync(browser, GatewayFactory.AdminKey, "https://attacker.example/phish");
        var elsewhere = await SignInAsync(NewBrowser(gateway), GatewayFactory.AdminKey, "/api/admin/clients");

        Assert.Equal("/dashboard", landed.RequestMessage?.RequestUri?.AbsolutePath);
        Assert.Equal("/dashboard", elsewhere.RequestMessage?.RequestUri?.AbsolutePath);
    }

    [Fact]
    public async Task Assets_AreServedWithLongCaching_AndUnknownOnesAreNotFound()
    {
        using var client = gateway.CreateClient();
        var signIn = await client.GetStringAsync("/dashboard/sign-in");
        var css = CssLink().Match(signIn).Groups[1].Value;

        var served = await client.GetAsync(css);
        var missing = await client.GetAsync("/dashboard/assets/nothing.js");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("text/css", served.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", served.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.NotNull(served.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task AKeyRingPath_KeepsSessionsAcrossInstances()
    {
        var keyRing = Path.Combine(Path.GetTempPath(), "jobgateway-tests", "keys-" + Guid.NewGuid().ToString("N"));
        var cookies = new CookieContainer();
        var first = new GatewayFactory();
        first.Settings["Gateway:Dashboard:KeyRingPath"] = keyRing;
        try
        {
            var signedIn = await SignInAsync(first.CreateDefaultClient(new Uri("http://localhost"), new RedirectHandler(), new CookieContainerHandler(cookies)), GatewayFactory.AdminKey);
            Assert.Equal("/dashboard", signedIn.RequestMessage?.RequestUri?.AbsolutePath);
            await first.DisposeAsync();

            // Another instance on the same database: its key ring is read from the same directory.
            using var second = first.CreateRestartedHost();
            second.Settings["Gateway:Dashboard:KeyRingPath"] = keyRing;
            using var browser = second.CreateDefaultClient(new Uri("http://localhost"), new RedirectHandler(), new CookieContainerHandler(cookies));
            var jobs = await browser.GetAsync("/dashboard/jobs");

            Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
            Assert.Equal("/dashboard/jobs", jobs.RequestMessage?.RequestUri?.AbsolutePath);
            Assert.NotEmpty(Directory.GetFiles(keyRing, "key-*.xml"));
        }
        finally
        {
            await first.DisposeAsync();
            Directory.Delete(keyRing, recursive: true);
        }
    }

    private static HttpClient NewBrowser(GatewayFactory factory) => factory.CreateClient();

    // Signs in through the form, as a browser does: the page's antiforgery token and cookie, then the POST.
    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string key, string? returnUrl = null)
    {
        var form = await browser.GetStringAsync("/dashboard/sign-in");
        var token = Token().Match(form).Groups[1].Value;
        var fields = new Dictionary<string, string> { ["Key"] = key, ["__RequestVerificationToken"] = token };
        if (returnUrl is not null)
        {
            fields["ReturnUrl"] = returnUrl;
        }

        return await browser.PostAsync("/dashboard/sign-in", new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]+)""")]
    private static partial Regex Token();

    [GeneratedRegex("""href="(/dashboard/assets/dashboard\.css\?v=[0-9a-f]+)""")]
    private static partial Regex CssLink();
}
