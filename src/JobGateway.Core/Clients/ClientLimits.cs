namespace JobGateway.Core.Clients;

/// <summary>
/// A client's own limits on job creates, set by an operator; a null member takes the gateway's configured default
/// (<c>Gateway:Limits</c>).
/// </summary>
/// <param name="CreatesPerSecond">Creates the client may make per second, sustained.</param>
/// <param name="CreateBurst">Creates the client may make at once after a quiet spell (the token bucket's size).</param>
/// <param name="MaxPendingJobs">Pending jobs the client may have; a create past it is refused.</param>
public sealed record ClientLimits(int? CreatesPerSecond, int? CreateBurst, int? MaxPendingJobs)
{
    /// <summary>No limits of its own: every member is the configured default.</summary>
    public static readonly ClientLimits None = new(null, null, null);

    /// <summary>Throws a <see cref="DomainException"/> (<c>invalid_limits</c>) when a limit that is set is not positive.</summary>
    public void Validate()
    {
        if (CreatesPerSecond <= 0 || CreateBurst <= 0 || MaxPendingJobs <= 0)
        {
            throw new DomainException("invalid_limits", "Limits must be positive numbers (or null for the configured default).");
        }
    }
}
