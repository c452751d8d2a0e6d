using System.Buffers.Binary;
using System.Security.Cryptography;

namespace JobGateway.Core.Jobs;

/// <summary>
/// Version 7 GUIDs (RFC 9562: a millisecond timestamp, then 74 random bits) for job ids, exactly as
/// <see cref="Guid.CreateVersion7(DateTimeOffset)"/> builds them, but drawing the random bits from a per-thread
/// buffer that is refilled from the cryptographic generator 4 KiB at a time. <c>Guid.NewGuid</c> asks the
/// operating system's generator for every id, which under a create load was one of the costliest calls of a
/// request. The ids stay unpredictable: every bit comes from <see cref="RandomNumberGenerator"/>, once.
/// </summary>
public static class JobIds
{
    private const int RandomBytesPerId = 10;
    private const int BufferIds = 409;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_next;

    /// <summary>A new version 7 GUID stamped with <paramref name="timestamp"/>.</summary>
    public static Guid NewVersion7(DateTimeOffset timestamp)
    {
        var milliseconds = timestamp.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(timestamp));
        var random = Take();

        // The layout of Guid.CreateVersion7: a and b carry the 48-bit timestamp; c the version (7) over 12
        // random bits; d the variant (10xx) over 6 random bits; e to k random.
        return new Guid(
            (int)(milliseconds >> 16),
            (short)milliseconds,
            (short)((BinaryPrimitives.ReadUInt16LittleEndian(random) & 0x0FFF) | 0x7000),
            (byte)((random[2] & 0x3F) | 0x80),
            random[3], random[4], random[5], random[6], random[7], random[8], random[9]);
    }

    // The next unused random bytes of this thread's buffer; each byte is handed out once.
    private static ReadOnlySpan<byte> Take()
    {
        if (t_random is null)
        {
            // A new thread's buffer starts used up, so its first id fills it.
            t_random = new byte[RandomBytesPerId * BufferIds];
            t_next = t_random.Length;
        }

        var buffer = t_random;
        if (t_next + RandomBytesPerId > buffer.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            t_next = 0;
        }

        var taken = buffer.AsSpan(t_next, RandomBytesPerId);
        t_next += RandomBytesPerId;
        return taken;
    }
}
