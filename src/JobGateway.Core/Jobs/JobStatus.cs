namespace JobGateway.Core.Jobs;

/// <summary>The canonical status of a job. Every protocol surface maps it into its own words.</summary>
public enum JobStatus
{
    /// <summary>Waiting to be claimed by a worker (new, or back after a retry or a lost lease).</summary>
    Pending = 0,

    /// <summary>Claimed by a worker that holds a lease on it.</summary>
    Running = 1,

    /// <summary>Finished successfully; terminal.</summary>
    Succeeded = 2,

    /// <summary>Finished with an error after its last attempt; terminal.</summary>
    Failed = 3,

    /// <summary>Cancelled before it finished; terminal.</summary>
    Cancelled = 4,
}
