namespace JobGateway.Core.Jobs;

/// <summary>Why a job (or its last attempt) failed.</summary>
/// <param name="Code">A short machine-readable code, e.g. <c>timeout</c>.</param>
/// <param name="Message">A human-readable message.</param>
/// <param name="Details">Optional details (free text or JSON).</param>
public sealed record JobError(string Code, string Message, string? Details = null);
