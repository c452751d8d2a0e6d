using Microsoft.Data.Sqlite;

namespace JobGateway.Persistence.Sqlite;

/// <summary>
/// How the gateway opens its SQLite file. With <see cref="DatabaseOptions.SqliteExclusive"/> (the default) it opens
/// it through SQLite's <c>unix-excl</c> VFS: the first connection takes a lock on the file for the whole process,
/// held until the last one closes, so no other process can open the database while the gateway runs, and the WAL
/// index lives in the process's memory instead of the <c>-shm</c> file. Every transaction then takes and drops
/// its locks inside the process; with the default VFS each read transaction asked the kernel for a lock on the
/// <c>-shm</c> file and gave it back (two <c>fcntl</c> calls), a large part of a status poll's cost.
/// </summary>
/// <remarks>
/// The gateway's connections (EF's pool) are all in one process, and
/// the SQLite provider is one instance by design (PostgreSQL is for several), so nothing it needs is lost. A second
/// gateway started on the same file by mistake fails at start-up ("database is locked") instead of sharing the
/// file with an instance whose in-process write gate and job signal it cannot see. Operators who want to read
/// the file with another tool while the gateway runs turn the setting off. Windows has no <c>unix-excl</c>; there
/// the file is opened as configured.
/// </remarks>
internal static class SqliteFileAccess
{
    private const string ExclusiveVfs = "unix-excl";

    /// <summary>
    /// <paramref name="connectionString"/> with its file opened through <c>unix-excl</c> when
    /// <paramref name="exclusive"/>: a plain path becomes a <c>file:</c> URI naming the VFS. In-memory databases,
    /// URIs that name a VFS already, and Windows are left as they are.
    /// </summary>
    public static string Apply(string connectionString, bool exclusive)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var source = builder.DataSource;
        if (!exclusive || OperatingSystem.IsWindows() || IsInMemory(builder))
        {
            return connectionString;
        }

        if (IsUri(source))
        {
            if (source.Contains("vfs=", StringComparison.OrdinalIgnoreCase))
            {
                return connectionString;
            }

            builder.DataSource = source + (source.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "vfs=" + ExclusiveVfs;
            return builder.ToString();
        }

        builder.DataSource = "file:" + EscapePath(Path.GetFullPath(source)) + "?vfs=" + ExclusiveVfs;
        return builder.ToString();
    }

    /// <summary>The path of the database file <paramref name="connectionString"/> opens; null for an in-memory one.</summary>
    public static string? FilePath(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (IsInMemory(builder))
        {
            return null;
        }

        var source = builder.DataSource;
        if (!IsUri(source))
        {
            return source;
        }

        // file:PATH, file:/PATH or file:///PATH (file://HOST/PATH only with an empty or "localhost" host), then ?query.
        var path = source["file:".Length..];
        var query = path.IndexOfAny(['?', '#']);
        if (query >= 0)
        {
            path = path[..query];
        }

        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            var slash = path.IndexOf('/', 2);
            path = slash < 0 ? string.Empty : path[slash..];
        }

        return Uri.UnescapeDataString(path);
    }

    private static bool IsUri(string source) => source.StartsWith("file:", StringComparison.OrdinalIgnoreCase);

    private static bool IsInMemory(SqliteConnectionStringBuilder builder) =>
        builder.Mode == SqliteOpenMode.Memory
        || builder.DataSource.Length == 0
        || builder.DataSource.Contains(":memory:", StringComparison.Ordinal)
        || builder.DataSource.Contains("mode=memory", StringComparison.OrdinalIgnoreCase);

    // A URI's path takes every character as it is but these three, which start an escape, the query and the fragment.
    private static string EscapePath(string path) => path
        .Replace("%", "%25", StringComparison.Ordinal)
        .Replace("?", "%3F", StringComparison.Ordinal)
        .Replace("#", "%23", StringComparison.Ordinal);
}
