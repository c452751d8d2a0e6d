using System.ComponentModel.DataAnnotations;

namespace JobGateway.Rest.Limits;

/// <summary>
/// The per-client limits on job creates (<c>Gateway:Limits</c>), the defaults of every client; an operator sets a
/// client's own through the admin API. The defaults are generous on purpose: they stop a runaway client, not a busy
/// one (bench/run's single client, creating some 25k jobs a second and leaving millions Pending, stays under them).
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "Gateway:Limits";

    /// <summary>Creates per second a client may sustain (its token bucket's refill rate).</summary>
    [Range(1, int.MaxValue)]
    public int CreatesPerSecond { get; set; } = 50_000;

    /// <summary>Creates a client may make at once after a quiet spell (its token bucket's size).</summary>
    [Range(1, int.MaxValue)]
    public int CreateBurst { get; set; } = 100_000;

    /// <summary>Pending jobs a client may have; a create past it is refused until some have run.</summary>
    [Range(1, int.MaxValue)]
    public int MaxPendingJobs { get; set; } = 10_000_000;
}
