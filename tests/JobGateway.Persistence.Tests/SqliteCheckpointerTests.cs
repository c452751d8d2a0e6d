using JobGateway.Core.Jobs;
using JobGateway.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace JobGateway.Persistence.Tests;

/// <summary>
/// The write-ahead log is checkpointed beside the writers (<see cref="SqliteCheckpointer"/>), never inside a commit,
/// and stays bounded even when the writer never pauses. Each test has a database of its own.
/// </summary>
public sealed class SqliteCheckpointerTests : IAsyncLifetime
{
    private readonly SqliteStoreFixture _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public void NoConnection_CheckpointsInItsCommits()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SqlitePragmaInterceptor.Pragmas(SqliteDurability.Normal, 5000);
        command.ExecuteNonQuery();
        command.CommandText = "PRAGMA wal_autocheckpoint";
        Assert.Equal(0L, command.ExecuteScalar());
        command.CommandText = "PRAGMA journal_size_limit";
        Assert.Equal(SqlitePragmaInterceptor.JournalSizeLimitBytes, command.ExecuteScalar());
    }

    [Fact]
    public async Task WithoutAPass_TheLogGrows_AfterOne_TheNextWriterStartsItOver()
    {
        using var rows = RowsWithManualPasses();
        var client = Guid.NewGuid();
        rows.Checkpointer.Pass();
        rows.Insert(NewJobs(client, 200));
        var once = LogBytes(_database.DatabasePath);

        // No commit checkpoints: the same again appends to the log.
        rows.Insert(NewJobs(client, 200));
        var twice = LogBytes(_database.DatabasePath);
        Assert.True(twice > once * 3 / 2, $"the log went from {once} to {twice} bytes: a commit checkpointed");

        // After a pass the next writer starts the log over: the same again overwrites it from the start.
        rows.Checkpointer.Pass();
        rows.Insert(NewJobs(client, 200));
        Assert.Equal(twice, LogBytes(_database.DatabasePath));
        Assert.Equal(0, rows.Checkpointer.Restarts);
    }

    [Fact]
    public async Task UnderAWriterThatNeverPauses_OnlyARestartPassMakesTheLogStartOver()
    {
        const int restartFrames = 300;
        using var rows = RowsWithManualPasses(restartFrames);
        var client = Guid.NewGuid();
        using var stop = new CancellationTokenSource();
        using var committed = new SemaphoreSlim(0);
        var batches = 0L;
        var writer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                rows.Insert(NewJobs(client, 20));
                Interlocked.Increment(ref batches);
                committed.Release();
            }
        });

        async Task AfterCommits(long count)
        {
            while (Interlocked.Read(ref batches) < count)
            {
                await committed.WaitAsync();
            }
        }

        // Passes while the writer keeps committing, each after at least one more commit. A plain pass copies the
        // log, but the writer begins again before it is done, so the log keeps growing; a pass that finds it at
        // the restart length finishes the copy under the write gate, and the next commit starts the log over,
        // which rewrites its header with the next checkpoint sequence number.
        var passes = 0;
        while (rows.Checkpointer.Restarts < 3 && passes++ < 10_000)
        {
            await AfterCommits(Interlocked.Read(ref batches) + 1);
            var sequence = LogSequence(_database.DatabasePath);
            var restarts = rows.Checkpointer.Restarts;
            var log = rows.Checkpointer.Pass();
            Assert.Equal(log >= restartFrames, rows.Checkpointer.Restarts > restarts);
            if (rows.Checkpointer.Restarts > restarts)
            {
                // One commit may have finished before the pass and be counted only now; the one after it began
                // after the pass.
                await AfterCommits(Interlocked.Read(ref batches) + 2);
                Assert.True(LogSequence(_database.DatabasePath) > sequence, $"the log did not start over after a restart pass (at {log} pages)");
            }
        }

        await stop.CancelAsync();
        await writer;
        Assert.Equal(3, rows.Checkpointer.Restarts);
    }

    [Fact]
    public async Task AReaderOfAnOlderSnapshot_KeepsTheLogFromStartingOver_UntilItIsDone()
    {
        using var rows = RowsWithManualPasses(50);
        var client = Guid.NewGuid();
        rows.Insert(NewJobs(client, 100));

        // A reader in the middle of a transaction, on the snapshot of the first 100 jobs; then more jobs.
        using var reader = new SqliteConnection($"Data Source={_database.DatabasePath};Pooling=False");
        using var read = ReadInTransaction(reader, expectedJobs: 100);

        rows.Insert(NewJobs(client, 100, 1));
        var sequence = LogSequence(_database.DatabasePath);

        // The restart waits for the reader (briefly), gives up, and leaves the log as it is.
        Assert.True(rows.Checkpointer.Pass() >= 50);
        Assert.Equal((0L, 1L), (rows.Checkpointer.Restarts, rows.Checkpointer.Pinned));
        rows.Insert(NewJobs(client, 1, 2));
        Assert.Equal(sequence, LogSequence(_database.DatabasePath));

        // Once the reader is done, a later pass makes it start over, and the next commit writes from its start.
        read.Commit();
        for (var i = 0; i < 20 && rows.Checkpointer.Restarts == 0; i++)
        {
            rows.Checkpointer.Pass();
        }

        Assert.Equal(1L, rows.Checkpointer.Restarts);
        rows.Insert(NewJobs(client, 1, 3));
        Assert.True(LogSequence(_database.DatabasePath) > sequence, "the log did not start over once the reader was done");
    }

    [Fact]
    public async Task AnOverdueRestart_WaitsForAReaderLongerThanTheShortWait()
    {
        const int restartFrames = 50;
        using var rows = RowsWithManualPasses(restartFrames);
        var client = Guid.NewGuid();
        rows.Insert(NewJobs(client, 100));

        // A reader on the snapshot of the first 100 jobs, then enough jobs for four restart lengths of log.
        using var reader = new SqliteConnection($"Data Source={_database.DatabasePath};Pooling=False");
        using var read = ReadInTransaction(reader, expectedJobs: 100);

        // Small commits, as under group commit: each appends the pages it changed.
        for (var batch = 0; batch < 100; batch++)
        {
            rows.Insert(NewJobs(client, 3, 1 + batch));
        }

        var sequence = LogSequence(_database.DatabasePath);

        // The pass finds the restart overdue and waits for the reader, which stays three short waits longer.
        var pass = Task.Factory.StartNew(rows.Checkpointer.Pass, TaskCreationOptions.LongRunning);
        while (rows.Checkpointer.RestartAttempts == 0 && !pass.IsCompleted)
        {
            await Task.Yield();
        }

        var held = System.Diagnostics.Stopwatch.StartNew();
        while (held.ElapsedMilliseconds < 3 * SqliteCheckpointer.RestartWaitMs && !pass.IsCompleted)
        {
            await Task.Delay(10);
        }

        read.Commit();
        Assert.True(await pass >= SqliteCheckpointer.OverdueRestartLengths * restartFrames);
        Assert.Equal((1L, 0L), (rows.Checkpointer.Restarts, rows.Checkpointer.Pinned));
        rows.Insert(NewJobs(client, 1, 200));
        Assert.True(LogSequence(_database.DatabasePath) > sequence, "the log did not start over after the overdue restart");
    }

    [Fact]
    public async Task TheCheckpointerThread_MakesTheLogStartOver_UnderSteadyGroupCommits()
    {
        using var rows = new SqliteJobRows(
            $"Data Source={_database.DatabasePath}", SqliteDurability.Normal, 5000, checkpointInterval: TimeSpan.FromMilliseconds(5), restartFrames: 300);
        await using var batcher = GroupCommit.Over(rows, _database.Signal);
        var client = Guid.NewGuid();

        // Twelve producers keep the group-commit writer busy: their 12,000 jobs with 300-byte payloads make
        // about 27,000 log pages, 90 restart lengths.
        var producers = Enumerable.Range(0, 12).Select(p => Task.Run(async () =>
        {
            foreach (var job in NewJobs(client, 1000, p))
            {
                await batcher.WriteAsync(job);
            }
        }));
        await Task.WhenAll(producers);

        Assert.True(rows.Checkpointer.Restarts > 0, "the checkpointer thread never made the log start over");
    }

    // An hour between the checkpointer thread's looks: only the passes a test makes run.
    private SqliteJobRows RowsWithManualPasses(int restartFrames = SqliteCheckpointer.DefaultRestartFrames) =>
        new($"Data Source={_database.DatabasePath}", SqliteDurability.Normal, 5000, checkpointInterval: TimeSpan.FromHours(1), restartFrames: restartFrames);

    // Opens a read transaction on the current snapshot and reads from it, so that it holds the snapshot until it ends.
    private static SqliteTransaction ReadInTransaction(SqliteConnection reader, long expectedJobs)
    {
        reader.Open();
        var read = reader.BeginTransaction(deferred: true);
        using var count = reader.CreateCommand();
        count.Transaction = read;
        count.CommandText = "SELECT count(*) FROM \"Jobs\"";
        Assert.Equal(expectedJobs, count.ExecuteScalar());
        return read;
    }

    private static List<Job> NewJobs(Guid client, int count, int producer = 0) =>
        Enumerable.Range(0, count)
            .Select(i => Job.Create(new NewJob(client, "ckpt", $"job {producer}-{i}", $$"""{"pad":"{{new string('x', 300)}}"}""", $"ref-{producer}-{i}"), DateTimeOffset.UnixEpoch.AddTicks(i)))
            .ToList();

    private static long LogBytes(string databasePath) => new FileInfo(databasePath + "-wal").Length;

    // The checkpoint sequence number in the log's header (big-endian, bytes 12-15): SQLite adds one each time the
    // log starts over.
    private static uint LogSequence(string databasePath)
    {
        using var log = new FileStream(databasePath + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> header = stackalloc byte[16];
        log.ReadExactly(header);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header[12..]);
    }
}
