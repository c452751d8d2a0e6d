using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace JobGateway.Persistence.Postgres;

/// <summary>
/// Empties the connection pool when a command finds its connection dead (the server restarted or went away). Npgsql
/// notices a dead idle connection only when it is next used, so without this every connection the pool held before an
/// outage would fail one request after the server is back; with it, the first failure retires them all and the next
/// requests open fresh connections.
/// </summary>
internal sealed class PostgresBrokenConnections(NpgsqlDataSource dataSource) : DbCommandInterceptor
{
    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData)
    {
        ClearIfBroken(eventData.Exception);
        base.CommandFailed(command, eventData);
    }

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ClearIfBroken(eventData.Exception);
        return base.CommandFailedAsync(command, eventData, cancellationToken);
    }

    private void ClearIfBroken(Exception exception)
    {
        if (DatabaseFailures.BrokeTheConnection(exception))
        {
            dataSource.Clear();
        }
    }
}
