using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace JobGateway.Persistence.Sqlite;

/// <summary>
/// <c>synchronous</c> and <c>busy_timeout</c> are per connection in SQLite, so every pooled connection
/// gets them when it opens (WAL mode is persistent and set once at start-up).
/// </summary>
internal sealed class SqlitePragmaInterceptor(SqliteDurability durability, int busyTimeoutMs) : DbConnectionInterceptor
{
    private readonly string _pragmas = string.Create(
        CultureInfo.InvariantCulture,
        $"PRAGMA synchronous={(durability == SqliteDurability.Full ? "FULL" : "NORMAL")}; PRAGMA busy_timeout={busyTimeoutMs};");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
