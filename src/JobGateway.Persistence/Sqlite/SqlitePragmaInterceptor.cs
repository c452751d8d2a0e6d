using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace JobGateway.Persistence.Sqlite;

/// <summary>
/// <c>synchronous</c>, <c>busy_timeout</c> and <c>journal_size_limit</c> are per connection in SQLite, so every
/// physical connection gets them once, when it is first opened (WAL mode is persistent and set once at start-up). EF opens a
/// pooled connection for every query; the pool hands back the same native handle, which is how a
/// connection that has its settings already is recognised, so the hot path pays nothing.
/// </summary>
internal sealed class SqlitePragmaInterceptor(SqliteDurability durability, int busyTimeoutMs, long maxSizeBytes = 0) : DbConnectionInterceptor
{
    private readonly ConditionalWeakTable<object, object> _prepared = [];

    private readonly string _pragmas = Pragmas(durability, busyTimeoutMs, maxSizeBytes);

    /// <summary>
    /// The per-connection settings. Commits checkpoint the write-ahead log as SQLite does by default (every 1000
    /// pages); a log that long readers let grow is cut back to 64 MiB when it starts over, so its file does not keep
    /// that size. A size cap (<paramref name="maxSizeBytes"/> above 0) is SQLite's <c>max_page_count</c>: a write that
    /// would grow the file past it fails with SQLITE_FULL, as on a full disk.
    /// </summary>
    internal static string Pragmas(SqliteDurability durability, int busyTimeoutMs, long maxSizeBytes = 0) => string.Create(
        CultureInfo.InvariantCulture,
        $"PRAGMA synchronous={(durability == SqliteDurability.Full ? "FULL" : "NORMAL")}; PRAGMA busy_timeout={busyTimeoutMs}; PRAGMA journal_size_limit={JournalSizeLimitBytes};")
        + (maxSizeBytes > 0 ? string.Create(CultureInfo.InvariantCulture, $" PRAGMA max_page_count={maxSizeBytes / PageSizeBytes};") : string.Empty);

    /// <summary>SQLite's page size, which the gateway's databases keep at SQLite's default.</summary>
    internal const long PageSizeBytes = 4096;

    /// <summary>The size the log file is cut back to when it starts over.</summary>
    internal const long JournalSizeLimitBytes = 64L * 1024 * 1024;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!NeedsPragmas(connection))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!NeedsPragmas(connection))
        {
            return;
        }

        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // True the first time a native connection is seen (then remembered for as long as it lives).
    private bool NeedsPragmas(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || _prepared.TryAdd(handle, handle);
}
