using System.Data.Common;
using Npgsql;

namespace JobGateway.Persistence.Postgres;

/// <summary>
/// Npgsql settings the gateway runs with unless the connection string says otherwise. Each request rents a
/// pooled connection for a statement or two, so by Npgsql's defaults every rental began with a reset
/// (<c>DISCARD ALL</c>) and every statement was parsed and planned afresh (figures in docs/performance.md).
/// <list type="bullet">
/// <item><c>Max Auto Prepare=20</c>: a statement run five times is prepared on that connection and kept.</item>
/// <item><c>No Reset On Close=true</c>: no reset on return to the pool. The gateway sets no session state on pooled
/// connections; the one that <c>LISTEN</c>s (<see cref="PostgresJobSignal"/>) unlistens before it goes back.</item>
/// </list>
/// </summary>
internal static class PostgresConnectionDefaults
{
    private const int MaxAutoPrepare = 20;

    /// <summary><paramref name="connectionString"/> with the gateway's defaults for the settings it does not give.</summary>
    public static string Apply(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);

        // The keys as written (either spelling; the plain builder ignores case): Npgsql's would report its defaults as set.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
