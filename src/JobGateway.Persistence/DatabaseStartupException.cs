using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace JobGateway.Persistence;

/// <summary>
/// The database cannot be opened at start-up for a reason the operator can fix. The message is one sentence saying
/// what is wrong and what to do, written for the console; the cause is kept as the inner exception.
/// </summary>
public sealed class DatabaseStartupException : Exception
{
    public DatabaseStartupException()
    {
    }

    public DatabaseStartupException(string message)
        : base(message)
    {
    }

    public DatabaseStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The exception to throw for <paramref name="exception"/>, raised while the SQLite file <paramref name="file"/> was
    /// first opened and migrated; null when it is not one the operator can fix.
    /// </summary>
    internal static DatabaseStartupException? ForSqlite(Exception exception, string file)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(file)) ?? file;
        var message = exception switch
        {
            // SQLITE_BUSY, SQLITE_LOCKED: another process holds the file (another gateway holds it for itself).
            SqliteException { SqliteErrorCode: raw.SQLITE_BUSY or raw.SQLITE_LOCKED } =>
                $"The SQLite database {file} is in use by another process (is another gateway running on it?). Stop that process, " +
                "or give this gateway a database of its own: Gateway:Database:ConnectionString=\"Data Source=/path/to/jobgateway.db\".",

            // SQLITE_READONLY, SQLITE_CANTOPEN, or the directory could not be made.
            SqliteException { SqliteErrorCode: raw.SQLITE_READONLY or raw.SQLITE_CANTOPEN } or UnauthorizedAccessException or IOException =>
                $"The gateway cannot write its SQLite database {file}: {directory} is not writable by user '{Environment.UserName}' " +
                "(or cannot be created). Make it writable, or point Gateway:Database:ConnectionString at a writable place (\"Data Source=/path/to/jobgateway.db\").",
            _ => null,
        };
        return message is null ? null : new DatabaseStartupException(message, exception);
    }
}
