using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;

namespace JobGateway.Persistence.Sqlite;

/// <summary>
/// EF's SQLite database creator, except that "does the database exist" asks the file system. EF's own answer opens
/// a second, read-only connection to the file and closes it again, on every migration and every connection check.
/// With the gateway's exclusive access (<see cref="SqliteFileAccess"/>) that close gave back the lock the process
/// holds on the file (POSIX locks belong to the process, and a read-only SQLite connection unlocks the whole file
/// when it is done), leaving the file open to other processes while the WAL index stayed in this one's memory.
/// </summary>
[SuppressMessage("Usage", "EF1001:Internal EF Core API usage.", Justification = "The one documented way to change how the SQLite provider checks for its file is to replace its database creator.")]
internal sealed class SqliteFileDatabaseCreator(
    RelationalDatabaseCreatorDependencies dependencies,
    ISqliteRelationalConnection connection,
    IRawSqlCommandBuilder rawSqlCommandBuilder) : SqliteDatabaseCreator(dependencies, connection, rawSqlCommandBuilder)
{
    public override bool Exists() =>
        SqliteFileAccess.FilePath(Dependencies.Connection.ConnectionString ?? string.Empty) is not { Length: > 0 } path || File.Exists(path);

    public override Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Exists());
    }
}
