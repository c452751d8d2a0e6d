using JobGateway.Core.Jobs;
using JobGateway.Persistence.Tests.Postgres;

namespace JobGateway.Persistence.Tests;

public sealed class SqliteJobQueryFilterTests(SqliteStoreFixture fixture) : JobQueryFilterTests<SqliteStoreFixture>(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class PostgresJobQueryFilterTests(PostgresStoreFixture fixture) : JobQueryFilterTests<PostgresStoreFixture>(fixture), IClassFixture<PostgresStoreFixture>;

/// <summary>The filters the Elastic Path surface adds to <see cref="JobQuery"/>: the same answers on every provider.</summary>
public abstract class JobQueryFilterTests<TFixture>(TFixture fixture)
    where TFixture : IStoreFixture
{
    [StoreFact]
    public async Task List_ByExternalRefLike_MatchesWildcardsCaseInsensitivelyAndOtherCharactersLiterally()
    {
        var store = fixture.NewStore();
        var client = Guid.NewGuid();
        foreach (var externalRef in new[] { "inv-1", "INV-2", "inv-%3", "inv_4", "other" })
        {
            await store.CreateAsync(new NewJob(client, "t", ExternalRef: externalRef), default);
        }

        await store.CreateAsync(new NewJob(client, "t"), default);

        var cases = new Dictionary<string, string[]>
        {
            ["inv-*"] = ["inv-1", "INV-2", "inv-%3"],
            ["*-2"] = ["INV-2"],
            ["*v-*"] = ["inv-1", "INV-2", "inv-%3"],
            ["inv-%*"] = ["inv-%3"],
            ["inv_*"] = ["inv_4"],
            ["inv-_"] = [],
            ["INV-1"] = ["inv-1"],
            ["inv\\*"] = [],
            ["*"] = ["inv-1", "INV-2", "inv-%3", "inv_4", "other"],
        };
        foreach (var (pattern, expected) in cases)
        {
            var page = await store.ListAsync(client, new JobQuery { ExternalRefLike = pattern, Limit = 100 }, default);
            Assert.True(expected.SequenceEqual(page.Items.Select(j => j.ExternalRef!)), $"{pattern}: {string.Join(",", page.Items.Select(j => j.ExternalRef))}");
        }
    }

    [StoreFact]
    public async Task List_ByCreatedBounds_HonoursInclusiveAndExclusiveEnds()
    {
        var store = fixture.NewStore();
        var client = Guid.NewGuid();
        var instants = new List<DateTimeOffset>();
        for (var i = 0; i < 3; i++)
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(1));
            instants.Add(fixture.Clock.GetUtcNow());
            await store.CreateAsync(new NewJob(client, "t", ExternalRef: $"j{i}"), default);
        }

        async Task<string[]> RefsAsync(JobQuery query) =>
            (await store.ListAsync(client, query with { Limit = 100 }, default)).Items.Select(j => j.ExternalRef!).ToArray();

        Assert.Equal(["j2"], await RefsAsync(new JobQuery { CreatedAfter = instants[1] }));
        Assert.Equal(["j0", "j1"], await RefsAsync(new JobQuery { CreatedUntil = instants[1] }));
        Assert.Equal(["j1"], await RefsAsync(new JobQuery { CreatedFrom = instants[1], CreatedUntil = instants[1] }));
        Assert.Equal(["j1"], await RefsAsync(new JobQuery { CreatedAfter = instants[0], CreatedTo = instants[2] }));
    }

    [StoreFact]
    public async Task List_ByExternalRefsAndIds_KeepsOnlyThoseAndCountsThem()
    {
        var store = fixture.NewStore();
        var client = Guid.NewGuid();
        var jobs = new List<Job>();
        for (var i = 0; i < 4; i++)
        {
            jobs.Add((await store.CreateAsync(new NewJob(client, "t", ExternalRef: $"r{i}"), default)).Job!);
        }

        var byRefs = await store.ListAsync(client, new JobQuery { ExternalRefs = ["r1", "r3", "nope"], IncludeTotal = true }, default);
        var byIds = await store.ListAsync(client, new JobQuery { Ids = [jobs[0].Id, jobs[2].Id, Guid.NewGuid()] }, default);
        var otherClient = await store.ListAsync(Guid.NewGuid(), new JobQuery { Ids = [jobs[0].Id] }, default);

        Assert.Equal(["r1", "r3"], byRefs.Items.Select(j => j.ExternalRef!));
        Assert.Equal(2, byRefs.Total);
        Assert.Equal(["r0", "r2"], byIds.Items.Select(j => j.ExternalRef!));
        Assert.Empty(otherClient.Items);
    }
}
