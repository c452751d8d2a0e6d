using JobGateway.Core;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;

namespace JobGateway.Persistence;

/// <summary>
/// The provider errors that mean the database failed rather than the request: Npgsql's transient errors (the server
/// down, restarting or shutting down, the connection broken, the pool exhausted, a timeout; 53100 disk full), and
/// SQLite's full, busy, locked and I/O errors. EF Core and the group-commit writers wrap them; the whole chain is read.
/// </summary>
internal sealed class DatabaseFailures : IStoreFailures
{
    public StoreFailure? Classify(Exception exception) => Of(exception);

    /// <summary>The store failure <paramref name="exception"/> reports, or null.</summary>
    internal static StoreFailure? Of(Exception exception)
    {
        foreach (var current in Chain(exception))
        {
            switch (current)
            {
                case PostgresException { SqlState: PostgresErrorCodes.DiskFull }:
                    return StoreFailure.Full;
                case NpgsqlException { IsTransient: true }:
                    return StoreFailure.Unavailable;
                case SqliteException sqlite:
                    return (sqlite.SqliteErrorCode & 0xFF) switch
                    {
                        raw.SQLITE_FULL => StoreFailure.Full,
                        raw.SQLITE_BUSY or raw.SQLITE_LOCKED or raw.SQLITE_IOERR or raw.SQLITE_CANTOPEN => StoreFailure.Unavailable,
                        _ => null,
                    };
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    return Of(aggregate.InnerExceptions[0]);
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="exception"/> fails any write, whichever rows it holds: the database is down, full or
    /// locked. Contention between transactions (serialization failure, deadlock, lock not available) is transient too,
    /// but it is about the rows: the group-commit writers retry those row by row.
    /// </summary>
    internal static bool FailsEveryWrite(Exception exception) =>
        Of(exception) is not null
        && !Chain(exception).OfType<PostgresException>().Any(p => p.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable);

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }

    /// <summary>Whether <paramref name="exception"/> means the connection it came from is dead (the server went away).</summary>
    internal static bool BrokeTheConnection(Exception exception)
    {
        foreach (var current in Chain(exception))
        {
            if (current is PostgresException postgres)
            {
                // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 08xxx connection exceptions.
                return postgres.SqlState.StartsWith("57P0", StringComparison.Ordinal) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal);
            }

            if (current is NpgsqlException && current.InnerException is IOException or System.Net.Sockets.SocketException or EndOfStreamException)
            {
                return true;
            }
        }

        return false;
    }
}
