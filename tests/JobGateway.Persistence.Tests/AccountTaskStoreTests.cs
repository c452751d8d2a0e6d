using JobGateway.Core.AccountTasks;
using JobGateway.Core.Clients;
using JobGateway.Persistence.Stores;
using JobGateway.Persistence.Tests.Postgres;

namespace JobGateway.Persistence.Tests;

public sealed class SqliteAccountTaskStoreTests(SqliteStoreFixture fixture) : AccountTaskStoreTests<SqliteStoreFixture>(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class PostgresAccountTaskStoreTests(PostgresStoreFixture fixture) : AccountTaskStoreTests<PostgresStoreFixture>(fixture), IClassFixture<PostgresStoreFixture>;

/// <summary>The client-scoped account task store, on every provider.</summary>
public abstract class AccountTaskStoreTests<TFixture>(TFixture fixture)
    where TFixture : IStoreFixture
{
    [StoreFact]
    public async Task Add_TwiceWithOneTaskId_ThrowsForTheSameClientOnly()
    {
        var (a, b) = (await NewClientAsync(), await NewClientAsync());
        var store = new EfAccountTaskStore(fixture.NewContext());
        var taskId = Guid.NewGuid();
        await store.AddAsync(NewTask(a, taskId), default);

        var duplicate = await Assert.ThrowsAsync<DuplicateTaskIdException>(() => store.AddAsync(NewTask(a, taskId), default));
        await store.AddAsync(NewTask(b, taskId), default);

        Assert.Equal("task_exists", duplicate.Code);
        Assert.Single(await store.ListAsync(a, 0, 100, default));
        Assert.Single(await store.ListAsync(b, 0, 100, default));
    }

    [StoreFact]
    public async Task Add_ConcurrentlyWithOneTaskId_StoresOneAndReportsTheOtherAsDuplicate()
    {
        var client = await NewClientAsync();
        var taskId = Guid.NewGuid();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            try
            {
                await new EfAccountTaskStore(fixture.NewContext()).AddAsync(NewTask(client, taskId), default);
                return true;
            }
            catch (DuplicateTaskIdException)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, added => added);
        Assert.Single(await new EfAccountTaskStore(fixture.NewContext()).ListAsync(client, 0, 100, default));
    }

    [StoreFact]
    public async Task GetUpdateDelete_AreScopedToTheClient()
    {
        var (owner, other) = (await NewClientAsync(), await NewClientAsync());
        var store = new EfAccountTaskStore(fixture.NewContext());
        var task = NewTask(owner, Guid.NewGuid());
        await store.AddAsync(task, default);

        Assert.Null(await store.GetAsync(other, task.Id, default));
        Assert.Null(await store.UpdateAsync(other, task.Id, t => t.SetEnabled(false, "x", fixture.Clock.GetUtcNow()), default));
        Assert.False(await store.DeleteAsync(other, task.Id, default));
        Assert.True((await store.GetAsync(owner, task.Id, default))!.Enabled);
        Assert.True(await store.DeleteAsync(owner, task.Id, default));
        Assert.Null(await store.GetAsync(owner, task.Id, default));
    }

    [StoreFact]
    public async Task Update_ToAnotherTasksTaskId_ThrowsAndChangesNothing()
    {
        var client = await NewClientAsync();
        var store = new EfAccountTaskStore(fixture.NewContext());
        var first = NewTask(client, Guid.NewGuid());
        var second = NewTask(client, Guid.NewGuid());
        await store.AddAsync(first, default);
        await store.AddAsync(second, default);

        await Assert.ThrowsAsync<DuplicateTaskIdException>(() =>
            store.UpdateAsync(client, second.Id, t => t.Update(Spec(first.TaskId), "x", fixture.Clock.GetUtcNow()), default));

        Assert.Equal(second.TaskId, (await store.GetAsync(client, second.Id, default))!.TaskId);
    }

    [StoreFact]
    public async Task Update_AfterAConcurrentChange_ReappliesTheChangeToTheFreshRow()
    {
        var client = await NewClientAsync();
        var task = NewTask(client, Guid.NewGuid());
        await new EfAccountTaskStore(fixture.NewContext()).AddAsync(task, default);
        var now = fixture.Clock.GetUtcNow();
        var jobId = Guid.NewGuid();
        var interfered = false;

        var updated = await new EfAccountTaskStore(fixture.NewContext()).UpdateAsync(client, task.Id, t =>
        {
            if (!interfered)
            {
                // Another writer changes the row between our read and our write.
                interfered = true;
                new EfAccountTaskStore(fixture.NewContext()).UpdateAsync(client, task.Id, o => o.SetEnabled(false, "other", now), default).GetAwaiter().GetResult();
            }

            t.RecordRun(jobId, "me", now);
        }, default);

        Assert.False(updated!.Enabled);
        Assert.Equal(jobId, updated.LastJobId);
        var stored = await new EfAccountTaskStore(fixture.NewContext()).GetAsync(client, task.Id, default);
        Assert.False(stored!.Enabled);
        Assert.Equal(jobId, stored.LastJobId);
    }

    private async Task<Guid> NewClientAsync()
    {
        await using var db = fixture.NewContext();
        var client = Client.Create("c-" + Guid.NewGuid().ToString("N"), fixture.Clock.GetUtcNow());
        var (key, _) = ApiKey.Issue(client.Id, ApiKeyRoles.Client, null, fixture.Clock.GetUtcNow());
        db.Clients.Add(client);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync();
        return client.Id;
    }

    private AccountTask NewTask(Guid clientId, Guid taskId) => AccountTask.Create(clientId, Spec(taskId), "test", fixture.Clock.GetUtcNow());

    private static AccountTaskSpec Spec(Guid taskId) =>
        new(taskId, TaskFrequency.Daily, null, null, "{}", "application/json", TaskNotification.None);
}
