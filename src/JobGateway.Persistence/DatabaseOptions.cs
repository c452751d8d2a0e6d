using System.ComponentModel.DataAnnotations;

namespace JobGateway.Persistence;

/// <summary>Which database the gateway uses (<c>Gateway:Database</c>).</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Gateway:Database";

    /// <summary>The provider; SQLite is the embedded default.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// The connection string. Empty means the SQLite file <c>data/jobgateway.db</c> under the content root;
    /// PostgreSQL needs one (<c>Host=...;Port=5432;Database=...;Username=...;Password=...</c>).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// SQLite durability. <c>Normal</c> (WAL, synchronous=NORMAL) survives a crash of the process: a create
    /// acknowledged to a client is never lost when the gateway dies. <c>Full</c> also survives a power loss,
    /// at the cost of an fsync per commit.
    /// </summary>
    public SqliteDurability SqliteDurability { get; set; } = SqliteDurability.Normal;

    /// <summary>
    /// Whether the gateway holds its SQLite file for itself while it runs (SQLite's <c>unix-excl</c> VFS; Linux and
    /// macOS): no other process can open the database meanwhile, and transactions take their locks in memory instead
    /// of from the kernel, which makes status reads markedly cheaper. A second gateway on the same file fails at
    /// start-up instead of sharing it. Turn off to read the file with another tool while the gateway runs.
    /// </summary>
    public bool SqliteExclusive { get; set; } = true;

    /// <summary>How long a SQLite writer waits for the lock before failing, in milliseconds.</summary>
    [Range(0, 600_000)]
    public int SqliteBusyTimeoutMs { get; set; } = 5000;

    /// <summary>
    /// The largest the SQLite database may grow, in bytes (0: as large as the disk allows). Past it, writes fail as on a
    /// full disk: creates are refused with 507 <c>storage_full</c> until jobs are deleted or the cap is raised (a
    /// restart). Rounded down to SQLite's 4 KiB pages; keeps the gateway from filling the disk it shares.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long SqliteMaxSizeBytes { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == DatabaseProvider.PostgreSql && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                $"{Section}:ConnectionString is required when {Section}:Provider is PostgreSql.",
                [nameof(ConnectionString)]);
        }
    }
}

/// <summary>Supported providers.</summary>
public enum DatabaseProvider
{
    /// <summary>One file, one instance: the embedded default.</summary>
    Sqlite,

    /// <summary>One server shared by any number of gateway instances.</summary>
    PostgreSql,
}

/// <summary>SQLite <c>synchronous</c> levels offered.</summary>
public enum SqliteDurability
{
    Normal,
    Full,
}
