using System.Security.Cryptography;
using System.Text;

namespace JobGateway.Core.Jobs;

/// <summary>What a client asks for when it creates a job, on any surface.</summary>
/// <param name="ClientId">The tenant creating the job.</param>
/// <param name="Type">The job type.</param>
/// <param name="Name">An optional name.</param>
/// <param name="Payload">Optional JSON input, as received.</param>
/// <param name="ExternalRef">The client's own reference.</param>
/// <param name="IdempotencyKey">Optional key that makes a repeated create return the first job.</param>
public sealed record NewJob(
    Guid ClientId,
    string Type,
    string? Name = null,
    string? Payload = null,
    string? ExternalRef = null,
    string? IdempotencyKey = null)
{
    /// <summary>
    /// The surface the request came through (each surface names itself). It is not part of
    /// <see cref="Fingerprint"/>: the same request under one idempotency key is the same job whichever surface
    /// repeats it.
    /// </summary>
    public JobSurface Surface { get; init; } = JobSurface.Native;

    /// <summary>
    /// A fingerprint of everything the client sent except the key itself; equal fingerprints under one key
    /// are the same request.
    /// </summary>
    public string Fingerprint()
    {
        var text = string.Join('\u001f', Type, Name ?? "\u0000", Payload ?? "\u0000", ExternalRef ?? "\u0000");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
