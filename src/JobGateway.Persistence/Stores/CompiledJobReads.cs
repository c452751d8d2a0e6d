using System.Linq.Expressions;
using JobGateway.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace JobGateway.Persistence.Stores;

/// <summary>
/// The single-job reads, the hottest queries: compiled once, they skip EF's query pipeline on every call. A compiled
/// query runs against one model only, so each provider's context keeps a set of its own
/// (<see cref="GatewayDbContext.CompiledReads"/>).
/// </summary>
internal sealed class CompiledJobReads
{
    // Status polls select only the status view's columns (EF inlines this projection into both queries).
    private static readonly Expression<Func<Job, JobStatusView>> StatusOf = j => new JobStatusView(
        j.Number, j.Id, j.Name, j.Status, j.Progress, j.Report, j.ErrorCode, j.ErrorMessage, j.ErrorDetails,
        j.CreatedAt, j.StartedAt, j.FinishedAt);

    public Func<GatewayDbContext, Guid, Guid, CancellationToken, Task<Job?>> JobById { get; } =
        EF.CompileAsyncQuery((GatewayDbContext context, Guid clientId, Guid id, CancellationToken _) =>
            context.Jobs.AsNoTracking().FirstOrDefault(j => j.Id == id && j.ClientId == clientId));

    public Func<GatewayDbContext, Guid, long, CancellationToken, Task<Job?>> JobByNumber { get; } =
        EF.CompileAsyncQuery((GatewayDbContext context, Guid clientId, long number, CancellationToken _) =>
            context.Jobs.AsNoTracking().FirstOrDefault(j => j.Number == number && j.ClientId == clientId));

    public Func<GatewayDbContext, Guid, Guid, CancellationToken, Task<JobStatusView?>> StatusById { get; } =
        EF.CompileAsyncQuery((GatewayDbContext context, Guid clientId, Guid id, CancellationToken _) =>
            context.Jobs.Where(j => j.Id == id && j.ClientId == clientId).Select(StatusOf).FirstOrDefault());

    public Func<GatewayDbContext, Guid, long, CancellationToken, Task<JobStatusView?>> StatusByNumber { get; } =
        EF.CompileAsyncQuery((GatewayDbContext context, Guid clientId, long number, CancellationToken _) =>
            context.Jobs.Where(j => j.Number == number && j.ClientId == clientId).Select(StatusOf).FirstOrDefault());
}
