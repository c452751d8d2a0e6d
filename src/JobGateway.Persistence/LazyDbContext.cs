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

/// <summary>The provider's hand-written hot statements, when it has them (SQLite); null means EF does it all.</summary>
internal sealed record FastJobRows(Sqlite.SqliteJobRows? Sqlite) : IDisposable
{
    public void Dispose() => Sqlite?.Dispose();
}
