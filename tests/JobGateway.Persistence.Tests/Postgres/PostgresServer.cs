using Npgsql;

namespace JobGateway.Persistence.Tests.Postgres;

/// <summary>
/// The PostgreSQL server the tests use: <c>JOBGATEWAY_TEST_POSTGRES</c> (scripts/test.sh starts one and sets
/// it). Without it the PostgreSQL tests are skipped with a message, except under <c>CI=true</c>, where they
/// fail: CI must never pass by skipping them.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "JOBGATEWAY_TEST_POSTGRES";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the PostgreSQL tests are skipped here, or null when they run (or must fail).</summary>
    public static string? SkipReason => ConnectionString is null && !IsCi
        ? $"No PostgreSQL server configured: set {Variable} (e.g. Host=127.0.0.1;Port=5432;Username=...;Password=...;Database=postgres), or run scripts/test.sh, which starts one. CI=true turns this skip into a failure."
        : null;

    /// <summary>Creates a database of its own for one test class; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = ConnectionString
            ?? throw new InvalidOperationException($"CI=true needs a PostgreSQL server: set {Variable} (scripts/test.sh starts one).");
        var name = "jg_test_" + Guid.NewGuid().ToString("N");
        await using (var maintenance = new NpgsqlConnection(server))
        {
            await maintenance.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", maintenance);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever is still connected.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var maintenance = new NpgsqlConnection(ConnectionString);
        await maintenance.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", maintenance);
        await drop.ExecuteNonQueryAsync();
    }
}
