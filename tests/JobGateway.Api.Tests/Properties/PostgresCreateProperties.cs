using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.ScaleOut;
using Npgsql;

namespace JobGateway.Api.Tests.Properties;

/// <summary>
/// The create properties again on PostgreSQL, the scale-out store, whose text columns refuse what SQLite's take
/// (a NUL character). Fewer cases: the SQLite runs cover the readers; these cover what reaches the store.
/// </summary>
public sealed class PostgresCreateProperties(PostgresGateway postgres) : IClassFixture<PostgresGateway>
{
    /// <summary>As <see cref="NativeCreateProperties"/>, on PostgreSQL.</summary>
    [PostgresProperty(MaxTest = 300, QuietOnSuccess = false)]
    public Property CreateBody_OnPostgres_IsAcceptedOrRefusedInProblemDetails_AndStoresOnlyWhenAccepted() =>
        Prop.ForAll(NativeCreateProperties.Cases, c => Generated.Run(() => NativeCreateProperties.CheckAsync(postgres.Gateway, c)));

    /// <summary>As <see cref="TwoSmsReaderProperties"/>' JSON property, on PostgreSQL.</summary>
    [PostgresProperty(MaxTest = 200, QuietOnSuccess = false)]
    public Property TwoSmsJsonBody_OnPostgres_IsStoredOrRefusedInTheEnvelope() =>
        Prop.ForAll(TwoSmsReaderProperties.JsonCases, c => Generated.Run(() => TwoSmsReaderProperties.CheckJsonAsync(postgres.Gateway, c)));
}

/// <summary>A property that needs a PostgreSQL server: skipped without one, except under <c>CI=true</c>, where it fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresPropertyAttribute : PropertyAttribute
{
    public PostgresPropertyAttribute()
    {
        if (PostgresGateways.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>One gateway on a PostgreSQL database of its own, created for the test class and dropped after it.</summary>
public sealed class PostgresGateway : IAsyncLifetime
{
    private string? _database;

    public GatewayFactory Gateway { get; } = new();

    public async Task InitializeAsync()
    {
        if (PostgresGateways.SkipReason is not null)
        {
            return;
        }

        var server = PostgresGateways.Server ?? throw new InvalidOperationException($"CI=true needs a PostgreSQL server: set {PostgresGateways.Variable}.");
        _database = "jg_properties_" + Guid.NewGuid().ToString("N");
        await using (var maintenance = new NpgsqlConnection(server))
        {
            await maintenance.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", maintenance);
            await create.ExecuteNonQueryAsync();
        }

        Gateway.Settings["Gateway:Database:Provider"] = "PostgreSql";
        Gateway.Settings["Gateway:Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        if (_database is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var maintenance = new NpgsqlConnection(PostgresGateways.Server);
        await maintenance.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", maintenance);
        await drop.ExecuteNonQueryAsync();
    }
}
