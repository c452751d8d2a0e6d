using JobGateway.Api.Tests.Infrastructure;
using Npgsql;

namespace JobGateway.Api.Tests.ScaleOut;

/// <summary>
/// A test that needs a PostgreSQL server (<c>JOBGATEWAY_TEST_POSTGRES</c>; scripts/test.sh starts one and sets it).
/// Without one it is skipped with a message, except under <c>CI=true</c>, where it fails instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresGateways.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// Two gateway instances, A and B, on one PostgreSQL database of their own (created for the test class and
/// dropped after it), as two machines behind a load balancer would run. Each host has its own DI container,
/// so its own job signal (LISTEN/NOTIFY), connection pool, workers, scheduler and clock.
/// </summary>
public sealed class PostgresGateways : IAsyncLifetime
{
    public const string Variable = "JOBGATEWAY_TEST_POSTGRES";

    private string? _connectionString;

    public static string? Server => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static string? SkipReason =>
        Server is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? $"No PostgreSQL server configured: set {Variable} (e.g. Host=127.0.0.1;Port=5432;Username=...;Password=...;Database=postgres), or run scripts/test.sh, which starts one. CI=true turns this skip into a failure."
            : null;

    public GatewayFactory A { get; private set; } = null!;

    public GatewayFactory B { get; private set; } = null!;

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("No PostgreSQL server is configured.");

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        var server = Server ?? throw new InvalidOperationException($"CI=true needs a PostgreSQL server: set {Variable} (scripts/test.sh starts one).");
        var name = "jg_scaleout_" + Guid.NewGuid().ToString("N");
        await using (var maintenance = new NpgsqlConnection(server))
        {
            await maintenance.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", maintenance);
            await create.ExecuteNonQueryAsync();
        }

        _connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;

        // A starts first and migrates; B then finds the schema (and the bootstrap admin) in place.
        A = Instance();
        _ = A.Services;
        B = Instance();
        _ = B.Services;
    }

    public async Task DisposeAsync()
    {
        if (_connectionString is null)
        {
            return;
        }

        await A.DisposeAsync();
        await B.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var maintenance = new NpgsqlConnection(Server);
        await maintenance.OpenAsync();
        var name = new NpgsqlConnectionStringBuilder(_connectionString).Database;
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", maintenance);
        await drop.ExecuteNonQueryAsync();
    }

    private GatewayFactory Instance()
    {
        var gateway = new GatewayFactory();
        gateway.Settings["Gateway:Database:Provider"] = "PostgreSql";
        gateway.Settings["Gateway:Database:ConnectionString"] = _connectionString;
        return gateway;
    }
}
