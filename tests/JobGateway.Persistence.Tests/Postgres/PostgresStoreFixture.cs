using JobGateway.Core.Execution;
using JobGateway.Core.Jobs;
using JobGateway.Persistence.Postgres;
using JobGateway.Persistence.Stores;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace JobGateway.Persistence.Tests.Postgres;

/// <summary>
/// A migrated database of its own on the test PostgreSQL server, dropped at the end, so test classes run in
/// parallel. Each <see cref="NewStore"/> is an independent context, like a request on another instance.
/// Does nothing when no server is configured (its tests are skipped then).
/// </summary>
public sealed class PostgresStoreFixture : IStoreFixture, IAsyncLifetime
{
    private readonly List<PostgresGatewayDbContext> _contexts = [];
    private GroupCommit? _groupCommit;
    private string? _connectionString;
    private NpgsqlDataSource? _dataSource;

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 2, 1, 8, 0, 0, TimeSpan.Zero));

    public InProcessJobSignal Signal { get; } = new();

    /// <summary>The test database.</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("No PostgreSQL server is configured.");

    public async Task InitializeAsync()
    {
        if (PostgresServer.SkipReason is not null)
        {
            return;
        }

        _connectionString = await PostgresServer.CreateDatabaseAsync();
        _dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var db = NewContext();
        await db.Database.MigrateAsync();
        _groupCommit = await GroupCommit.StartAsync(NewContext, Signal);
    }

    public PostgresGatewayDbContext NewContext()
    {
        var options = new DbContextOptionsBuilder<PostgresGatewayDbContext>()
            .UseNpgsql(_dataSource ?? throw new InvalidOperationException("No PostgreSQL server is configured."))
            .Options;
        var context = new PostgresGatewayDbContext(options);
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        return context;
    }

    GatewayDbContext IStoreFixture.NewContext() => NewContext();

    IJobStore IStoreFixture.NewStore() => NewStore();

    /// <summary>A store as the gateway builds it, on a new context.</summary>
    internal EfJobStore NewStore() =>
        new(new Lazy<GatewayDbContext>(NewContext), Clock, _groupCommit?.Batcher ?? throw new InvalidOperationException("No PostgreSQL server is configured."), _groupCommit.Updates, TestTelemetry.Instance);

    public async Task DisposeAsync()
    {
        if (_groupCommit is not null)
        {
            await _groupCommit.DisposeAsync();
        }

        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        if (_connectionString is not null)
        {
            await PostgresServer.DropDatabaseAsync(_connectionString);
        }
    }
}
