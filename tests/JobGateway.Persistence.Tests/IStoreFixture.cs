using JobGateway.Core.Jobs;

namespace JobGateway.Persistence.Tests;

/// <summary>A migrated database of one provider; each store is an independent context, like a separate request.</summary>
public interface IStoreFixture
{
    /// <summary>The clock every store of the fixture uses.</summary>
    ManualClock Clock { get; }

    /// <summary>A store on a new context.</summary>
    IJobStore NewStore();

    /// <summary>A new context on the fixture's database.</summary>
    GatewayDbContext NewContext();
}
