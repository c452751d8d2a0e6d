namespace JobGateway.Core;

/// <summary>
/// A rule of the domain was broken by a request (not a bug in the gateway). Every surface maps it to its
/// own error: problem details 409, a SOAP Client fault, a JSON:API error.
/// </summary>
public class DomainException(string code, string message) : Exception(message)
{
    /// <summary>A stable, machine-readable code such as <c>illegal_transition</c>.</summary>
    public string Code { get; } = code;
}

/// <summary>A status move that the transition table does not allow.</summary>
public sealed class IllegalTransitionException(Guid jobId, Jobs.JobStatus from, Jobs.JobStatus to)
    : DomainException("illegal_transition", $"Job {jobId} cannot move from {from} to {to}.")
{
    /// <summary>The status the job was in.</summary>
    public Jobs.JobStatus From { get; } = from;

    /// <summary>The status that was asked for.</summary>
    public Jobs.JobStatus To { get; } = to;
}
