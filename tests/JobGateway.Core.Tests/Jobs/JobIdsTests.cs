using JobGateway.Core.Jobs;

namespace JobGateway.Core.Tests.Jobs;

public sealed class JobIdsTests
{
    [Fact]
    public void NewVersion7_HasTheLayoutOfGuidCreateVersion7()
    {
        var at = new DateTimeOffset(2026, 11, 23, 12, 0, 0, 123, TimeSpan.Zero);

        var id = JobIds.NewVersion7(at);
        var reference = Guid.CreateVersion7(at);

        Assert.Equal(7, id.Version);

        // Guid.Variant is the whole high nibble of byte 8: its top two bits are the RFC 9562 variant (10), the
        // other two are random.
        Assert.Equal(0b1000, id.Variant & 0b1100);
        Assert.Equal(0b1000, reference.Variant & 0b1100);

        // The first 48 bits are the Unix time in milliseconds, as in the framework's own version 7 GUIDs.
        Assert.Equal(reference.ToString("N")[..12], id.ToString("N")[..12]);
        Assert.Equal(at.ToUnixTimeMilliseconds(), Convert.ToInt64(id.ToString("N")[..12], 16));
    }

    [Fact]
    public void NewVersion7_IsUniqueAcrossManyBufferRefills_AndOrderedByTime()
    {
        var start = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 20_000).Select(i => JobIds.NewVersion7(start.AddMilliseconds(i))).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids.Select(g => g.ToString()).ToList(), ids.Select(g => g.ToString()).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void NewVersion7_InTheSameMillisecond_DiffersInTheRandomBits()
    {
        var at = DateTimeOffset.UnixEpoch.AddDays(20_000);
        var ids = Enumerable.Range(0, 1000).Select(_ => JobIds.NewVersion7(at)).ToList();

        Assert.Equal(1000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, id.Version));
        Assert.All(ids, id => Assert.Equal(0b1000, id.Variant & 0b1100));
    }

    [Fact]
    public void NewVersion7_RefusesTimesBeforeTheUnixEpoch() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => JobIds.NewVersion7(DateTimeOffset.UnixEpoch.AddMilliseconds(-1)));
}
