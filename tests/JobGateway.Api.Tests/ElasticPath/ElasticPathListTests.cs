using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using JobGateway.Api.Tests.Infrastructure;
using static JobGateway.Api.Tests.ElasticPath.ElasticPathTestSupport;

namespace JobGateway.Api.Tests.ElasticPath;

public sealed class ElasticPathListTests(SteppedGatewayFactory gateway) : IClassFixture<SteppedGatewayFactory>
{
    [Fact]
    public async Task List_ByDefault_Returns25OldestFirstWithLinksAndTotals()
    {
        var (client, _) = await TenantWithJobsAsync(27);
        using (client)
        {
            var page = await ListAsync(client, string.Empty);

            Assert.Equal(Refs(0, 25), ExternalRefs(page));
            Assert.Equal(27, page.GetProperty("meta").GetProperty("results").GetProperty("total").GetInt32());
            Assert.Equal("""{"limit":25,"offset":0,"current":1,"total":2}""", page.GetProperty("meta").GetProperty("page").GetRawText());
            var links = page.GetProperty("links");
            Assert.Equal($"{JobsPath}?page[offset]=0&page[limit]=25", links.GetProperty("current").GetString());
            Assert.Equal($"{JobsPath}?page[offset]=0&page[limit]=25", links.GetProperty("first").GetString());
            Assert.Equal($"{JobsPath}?page[offset]=25&page[limit]=25", links.GetProperty("last").GetString());
            Assert.Equal(JsonValueKind.Null, links.GetProperty("prev").ValueKind);
            Assert.Equal($"{JobsPath}?page[offset]=25&page[limit]=25", links.GetProperty("next").GetString());
        }
    }

    [Fact]
    public async Task List_FollowingTheNextLinks_VisitsEveryJobOnce()
    {
        var (client, _) = await TenantWithJobsAsync(7);
        using (client)
        {
            var seen = new List<string>();
            string? next = $"{JobsPath}?page[limit]=3&filter=like(external_ref,r*)";
            while (next is not null)
            {
                var page = await ListAsync(client, next[(next.IndexOf('?', StringComparison.Ordinal) + 1)..]);
                seen.AddRange(ExternalRefs(page));
                next = page.GetProperty("links").GetProperty("next").GetString();
            }

            Assert.Equal(Refs(0, 7), seen);
        }
    }

    [Fact]
    public async Task List_LastPartialPage_HasPrevAndNoNext()
    {
        var (client, _) = await TenantWithJobsAsync(5);
        using (client)
        {
            var page = await ListAsync(client, "page[offset]=3&page[limit]=2");

            Assert.Equal(Refs(3, 2), ExternalRefs(page));
            Assert.Equal("""{"limit":2,"offset":3,"current":2,"total":3}""", page.GetProperty("meta").GetProperty("page").GetRawText());
            Assert.Equal($"{JobsPath}?page[offset]=1&page[limit]=2", page.GetProperty("links").GetProperty("prev").GetString());
            Assert.Equal(JsonValueKind.Null, page.GetProperty("links").GetProperty("next").ValueKind);
        }
    }

    [Theory]
    [InlineData("page[offset]=5", 0)]
    [InlineData("page[offset]=4", 1)]
    [InlineData("page[offset]=1000", 0)]
    [InlineData("page[limit]=100", 5)]
    [InlineData("page[limit]=1", 1)]
    [InlineData("page[offset]=0&page[limit]=5", 5)]
    public async Task List_AtThePagingEdges_ReturnsWhatIsLeft(string query, int expected)
    {
        var (client, _) = await TenantWithJobsAsync(5);
        using (client)
        {
            var page = await ListAsync(client, query);

            Assert.Equal(expected, page.GetProperty("data").GetArrayLength());
            Assert.Equal(5, page.GetProperty("meta").GetProperty("results").GetProperty("total").GetInt32());
        }
    }

    [Theory]
    [InlineData("page[limit]=0", "page[limit]")]
    [InlineData("page[limit]=101", "page[limit]")]
    [InlineData("page[limit]=-1", "page[limit]")]
    [InlineData("page[limit]=ten", "page[limit]")]
    [InlineData("page[offset]=-1", "page[offset]")]
    [InlineData("page[offset]=1.5", "page[offset]")]
    [InlineData("page[offset]=99999999999", "page[offset]")]
    public async Task List_WithBadPaging_Returns400NamingTheParameter(string query, string parameter)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var error = await ReadErrorAsync(await client.GetAsync($"{JobsPath}?{query}"), HttpStatusCode.BadRequest);

        Assert.Equal("Validation Error", error.GetProperty("title").GetString());
        Assert.StartsWith(parameter + ": ", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eq(external_ref,r1)", "r1")]
    [InlineData("in(external_ref,r1,r3,missing)", "r1,r3")]
    [InlineData("like(external_ref,R*)", "r0,r1,r2,r3,r4")]
    [InlineData("like(external_ref,*3)", "r3")]
    [InlineData("like(external_ref,*)", "r0,r1,r2,r3,r4")]
    [InlineData("like(external_ref,r_)", "")]
    [InlineData("eq(job_type,tax-run)", "r1,r3")]
    [InlineData("in(job_type,billing-run,payment-run)", "r0,r2,r4")]
    [InlineData("eq(job_type,upload)", "")]
    [InlineData("eq(job_type,tax-run):eq(external_ref,r3)", "r3")]
    [InlineData("eq(job_type,tax-run):eq(job_type,billing-run)", "")]
    [InlineData("in(external_ref,r1,r2):in(external_ref,r2,r3)", "r2")]
    [InlineData("eq(external_ref,\"r1\")", "r1")]
    [InlineData("eq(external_ref, r1 )", "r1")]
    public async Task List_FilteredOnExternalRefAndJobType_ReturnsTheMatches(string filter, string expected)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        for (var i = 0; i < 5; i++)
        {
            await CreateAsync(client, i % 2 == 0 ? "billing-run" : "tax-run", $"r{i}");
        }

        var page = await ListAsync(client, "filter=" + Uri.EscapeDataString(filter));

        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), ExternalRefs(page));
        Assert.Equal(ExternalRefs(page).Length, page.GetProperty("meta").GetProperty("results").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_FilteredWithLike_TreatsPercentAndUnderscoreLiterally()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        await CreateAsync(client, externalRef: "100%_done");
        await CreateAsync(client, externalRef: "100x-done");

        var page = await ListAsync(client, "filter=" + Uri.EscapeDataString("like(external_ref,100%_*)"));

        Assert.Equal(["100%_done"], ExternalRefs(page));
    }

    [Theory]
    [InlineData("eq(status,pending)", "pending")]
    [InlineData("eq(status,started)", "started")]
    [InlineData("eq(status,success)", "success")]
    [InlineData("eq(status,failed)", "failed,cancelled")]
    [InlineData("in(status,pending,success)", "pending,success")]
    public async Task List_FilteredOnStatus_UsesElasticPathsWords(string filter, string expected)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        await CreateAsync(client, "billing-run", "pending");
        var started = (await CreateAsync(client, "tax-run", "started")).GetProperty("id").GetGuid();
        await StartAsync(gateway, tenant, "tax-run", started);
        var success = (await CreateAsync(client, "payment-run", "success")).GetProperty("id").GetGuid();
        await StartAsync(gateway, tenant, "payment-run", success);
        await SucceedAsync(gateway, tenant, success, null);
        var failed = (await CreateAsync(client, "payment-run", "failed")).GetProperty("id").GetGuid();
        await StartAsync(gateway, tenant, "payment-run", failed);
        await FailAsync(gateway, tenant, failed);
        var cancelled = (await CreateAsync(client, "billing-run", "cancelled")).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/jobs/{cancelled}/cancel", null)).StatusCode);

        var page = await ListAsync(client, "filter=" + Uri.EscapeDataString(filter));

        Assert.Equal(expected.Split(','), ExternalRefs(page));
    }

    [Theory]
    [InlineData("gt(created_at,{1})", "t2,t3")]
    [InlineData("ge(created_at,{1})", "t1,t2,t3")]
    [InlineData("lt(created_at,{1})", "t0")]
    [InlineData("le(created_at,{1})", "t0,t1")]
    [InlineData("eq(created_at,{1})", "t1")]
    [InlineData("ge(created_at,{1}):lt(created_at,{3})", "t1,t2")]
    [InlineData("gt(created_at,{2}):lt(created_at,{1})", "")]
    public async Task List_FilteredOnCreatedAt_ComparesInstants(string filter, string expected)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var instants = new List<DateTimeOffset>();
        for (var i = 0; i < 4; i++)
        {
            gateway.Time.Advance(TimeSpan.FromMinutes(10));
            instants.Add(gateway.Time.GetUtcNow());
            await CreateAsync(client, externalRef: $"t{i}");
        }

        var resolved = string.Format(CultureInfo.InvariantCulture, filter, instants.Select(t => (object)t.ToString("O", CultureInfo.InvariantCulture)).ToArray());
        var page = await ListAsync(client, "filter=" + Uri.EscapeDataString(resolved));

        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), ExternalRefs(page));
    }

    [Fact]
    public async Task List_FilteredOnCreatedAtWithoutOffset_ReadsItAsUtc()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        await CreateAsync(client, externalRef: "x");
        var at = gateway.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture);

        var page = await ListAsync(client, "filter=" + Uri.EscapeDataString($"eq(created_at,{at})"));

        Assert.Equal(["x"], ExternalRefs(page));
    }

    [Theory]
    [InlineData("eq(external_ref,abc")]
    [InlineData("eq(external_ref)")]
    [InlineData("eq(external_ref,)")]
    [InlineData("eq external_ref abc")]
    [InlineData("(external_ref,abc)")]
    [InlineData("foo(external_ref,abc)")]
    [InlineData("eq(unknown,abc)")]
    [InlineData("eq(EXTERNAL_REF,abc)")]
    [InlineData("like(status,pending)")]
    [InlineData("gt(external_ref,abc)")]
    [InlineData("eq(status,done)")]
    [InlineData("in(status,pending,cancelled)")]
    [InlineData("gt(created_at,yesterday)")]
    [InlineData("eq(external_ref,a,b)")]
    [InlineData("eq(external_ref,abc)x")]
    [InlineData("eq(external_ref,abc):")]
    [InlineData("eq(external_ref,abc)::eq(job_type,tax-run)")]
    [InlineData("eq(external_ref,\"abc)")]
    [InlineData("like(external_ref,a*):like(external_ref,*b)")]
    public async Task List_WithAMalformedFilter_Returns400CouldNotParseTheSuppliedFilter(string filter)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var response = await client.GetAsync($"{JobsPath}?filter={Uri.EscapeDataString(filter)}");

        var error = await ReadErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("Could not parse the supplied filter", error.GetProperty("title").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task List_KeepsTheFilterInItsLinks()
    {
        var (client, _) = await TenantWithJobsAsync(3);
        using (client)
        {
            var page = await ListAsync(client, "page[limit]=1&filter=" + Uri.EscapeDataString("like(external_ref,r*)"));

            Assert.Equal(
                $"{JobsPath}?page[offset]=1&page[limit]=1&filter={Uri.EscapeDataString("like(external_ref,r*)")}",
                page.GetProperty("links").GetProperty("next").GetString());
        }
    }

    [Fact]
    public async Task List_ShowsOnlyTheTenantsSubscriptionJobs()
    {
        var tenant = await gateway.CreateTenantAsync();
        var other = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        using var otherClient = gateway.CreateClient(other.ApiKey);
        await CreateAsync(client, externalRef: "mine");
        await CreateAsync(otherClient, externalRef: "theirs");
        var native = await client.PostAsync("/api/jobs", new StringContent("""{"type":"upload","externalRef":"native"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, native.StatusCode);

        var page = await ListAsync(client, string.Empty);

        Assert.Equal(["mine"], ExternalRefs(page));
    }

    private async Task<(HttpClient Client, TestTenant Tenant)> TenantWithJobsAsync(int count)
    {
        var tenant = await gateway.CreateTenantAsync();
        var client = gateway.CreateClient(tenant.ApiKey);
        for (var i = 0; i < count; i++)
        {
            await CreateAsync(client, "tax-run", $"r{i}");
        }

        return (client, tenant);
    }

    private static string[] Refs(int from, int count) => Enumerable.Range(from, count).Select(i => $"r{i}").ToArray();

    private static async Task<JsonElement> ListAsync(HttpClient client, string query) =>
        await ReadAsync(await client.GetAsync($"{JobsPath}?{query}"), HttpStatusCode.OK);

    private static string[] ExternalRefs(JsonElement page) =>
        page.GetProperty("data").EnumerateArray().Select(j => j.GetProperty("attributes").GetProperty("external_ref").GetString() ?? string.Empty).ToArray();
}
