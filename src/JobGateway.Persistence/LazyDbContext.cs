using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Persistence;

/// <summary>
/// The request's <see cref="GatewayDbContext"/>, rented from the pool only when a store first needs it:
/// requests served entirely by the credential cache and the prepared-statement reads never rent (and reset)
/// a context at all.
/// </summary>
internal sealed class LazyDbContext
{
    private readonly IServiceProvider? _services;
    private GatewayDbContext? _value;

    public LazyDbContext(IServiceProvider services) => _services = services;

    /// <summary>An already created context (the store tests own theirs).</summary>
    public LazyDbContext(GatewayDbContext context) => _value = context;

    public GatewayDbContext Value => _value ??= _services!.GetRequiredService<GatewayDbContext>();
}

/// <summary>
/// The provider's hand-written hot statements: on SQLite the reads and the group-commit inserts, on PostgreSQL the
/// reads; null where EF does it.
/// </summary>
internal sealed record FastJobRows(Sqlite.SqliteJobRows? Sqlite, Postgres.PostgresJobRows? Postgres = null) : IDisposable
{
    /// <summary>The provider's hand-written single-job reads; null where EF runs them.</summary>
    public Stores.IJobRowReads? Reads { get; } = (Stores.IJobRowReads?)Sqlite ?? Postgres;

    public void Dispose() => Sqlite?.Dispose();
}
