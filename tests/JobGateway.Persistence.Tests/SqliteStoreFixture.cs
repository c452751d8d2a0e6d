using JobGateway.Core.Execution;
using JobGateway.Core.Jobs;
using JobGateway.Persistence.Sqlite;
using JobGateway.Persistence.Stores;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace JobGateway.Persistence.Tests;

/// <summary>A migrated SQLite file; each <see cref="NewStore"/> is an independent context, like a separate request.</summary>
public sealed class SqliteStoreFixture : IStoreFixture, IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "jobgateway-store-tests", Guid.NewGuid().ToString("N") + ".db");

    /// <summary>The database file.</summary>
    public string DatabasePath => _path;
    private readonly List<SqliteGatewayDbContext> _contexts = [];
    private SqliteJobRows? _rows;
    private JobWriteBatcher? _batcher;

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 2, 1, 8, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        await using var db = NewContext();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        await db.Database.MigrateAsync();
    }

    GatewayDbContext IStoreFixture.NewContext() => NewContext();

    IJobStore IStoreFixture.NewStore() => NewStore();

    public SqliteGatewayDbContext NewContext()
    {
        var options = new DbContextOptionsBuilder<SqliteGatewayDbContext>()
            .UseSqlite($"Data Source={_path}")
            .AddInterceptors(new SqlitePragmaInterceptor(SqliteDurability.Normal, 5000))
            .Options;
        var context = new SqliteGatewayDbContext(options);
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        return context;
    }

    /// <summary>
    /// A store as the host builds it on SQLite: reads by id or number and group-committed inserts run on the
    /// hand-written prepared statements, everything else on EF, so every test crosses the two both ways. Its log
    /// checkpointer makes the log start over at 512 pages (the host: 8192), so that store tests that write a few
    /// megabytes cross that path too.
    /// </summary>
    internal EfJobStore NewStore()
    {
        lock (_contexts)
        {
            _rows ??= new SqliteJobRows($"Data Source={_path}", SqliteDurability.Normal, 5000, restartFrames: RestartFrames);
            _batcher ??= GroupCommit.Over(_rows, Signal);
        }

        return new(new LazyDbContext(NewContext()), Clock, Signal, _batcher, new FastJobRows(_rows));
    }

    public InProcessJobSignal Signal { get; } = new();

    /// <summary>The log length (pages) at which the store's checkpointer makes the log start over.</summary>
    public const int RestartFrames = 512;

    public async Task DisposeAsync()
    {
        if (_batcher is not null)
        {
            await _batcher.DisposeAsync();
        }

        _rows?.Dispose();

        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }
}

public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
