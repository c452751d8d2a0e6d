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
    private readonly SqliteWriteGate _gate = new();
    private GroupCommit? _groupCommit;
    private SqliteJobStatements? _statements;

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 2, 1, 8, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        await using var db = NewContext();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        await db.Database.MigrateAsync();
        _statements = new SqliteJobStatements($"Data Source={_path}", SqlitePragmaInterceptor.Pragmas(SqliteDurability.Normal, 5000), db.Model);
        _groupCommit = await GroupCommit.StartAsync(NewContext, Signal, _statements, _gate);
    }

    GatewayDbContext IStoreFixture.NewContext() => NewContext();

    IJobStore IStoreFixture.NewStore() => NewStore();

    public SqliteGatewayDbContext NewContext()
    {
        var options = new DbContextOptionsBuilder<SqliteGatewayDbContext>()
            .UseSqlite($"Data Source={_path}")
            .AddInterceptors(new SqlitePragmaInterceptor(SqliteDurability.Normal, 5000), _gate)
            .Options;
        var context = new SqliteGatewayDbContext(options);
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        return context;
    }

    /// <summary>A store as the host builds it on SQLite: reads of one job and inserts on the prepared statements, the rest on a new context.</summary>
    internal EfJobStore NewStore() => new(new Lazy<GatewayDbContext>(NewContext), Clock, _groupCommit!.Batcher, _groupCommit.Updates, TestTelemetry.Instance, _statements);

    public InProcessJobSignal Signal { get; } = new();

    public async Task DisposeAsync()
    {
        if (_groupCommit is not null)
        {
            await _groupCommit.DisposeAsync();
        }

        _statements?.Dispose();
        _gate.Dispose();

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
