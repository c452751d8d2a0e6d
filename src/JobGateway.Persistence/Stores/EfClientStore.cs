using JobGateway.Core.Clients;
using Microsoft.EntityFrameworkCore;

namespace JobGateway.Persistence.Stores;

internal sealed class EfClientStore(GatewayDbContext db) : IClientStore
{
    public Task<bool> AnyClientAsync(CancellationToken cancellationToken) => db.Clients.AnyAsync(cancellationToken);

    public async Task AddClientAsync(Client client, ApiKey firstKey, CancellationToken cancellationToken)
    {
        db.Clients.Add(client);
        db.ApiKeys.Add(firstKey);
        await SaveAndForgetAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Client>> ListClientsAsync(CancellationToken cancellationToken) =>
        await db.Clients.AsNoTracking().OrderBy(c => c.CreatedAt).ThenBy(c => c.Name).ToListAsync(cancellationToken);

    public Task<Client?> GetClientAsync(Guid clientId, CancellationToken cancellationToken) =>
        db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.Id == clientId, cancellationToken);

    public Task<bool> ClientNameExistsAsync(string name, CancellationToken cancellationToken) =>
        db.Clients.AnyAsync(c => c.Name == name, cancellationToken);

    public async Task<Client?> SetClientEnabledAsync(Guid clientId, bool enabled, CancellationToken cancellationToken)
    {
        var client = await db.Clients.FirstOrDefaultAsync(c => c.Id == clientId, cancellationToken);
        if (client is null)
        {
            return null;
        }

        client.SetEnabled(enabled);
        await SaveAndForgetAsync(cancellationToken);
        return client;
    }

    public async Task<(Client Client, string? Secret)?> SetWebhookAsync(Guid clientId, Uri? url, Core.AccountTasks.TaskNotification notification, CancellationToken cancellationToken)
    {
        var client = await db.Clients.FirstOrDefaultAsync(c => c.Id == clientId, cancellationToken);
        if (client is null)
        {
            return null;
        }

        var secret = client.SetWebhook(url, notification);
        await SaveAndForgetAsync(cancellationToken);
        return (client, secret);
    }

    public async Task AddKeyAsync(ApiKey key, CancellationToken cancellationToken)
    {
        db.ApiKeys.Add(key);
        await SaveAndForgetAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ApiKey>> ListKeysAsync(Guid clientId, CancellationToken cancellationToken) =>
        await db.ApiKeys.AsNoTracking().Where(k => k.ClientId == clientId).OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken);

    public async Task<ApiKey?> RevokeKeyAsync(Guid clientId, Guid keyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.ClientId == clientId, cancellationToken);
        if (key is null)
        {
            return null;
        }

        key.Revoke(now);
        await SaveAndForgetAsync(cancellationToken);
        return key;
    }

    public Task<Credential?> FindCredentialAsync(string keyHash, CancellationToken cancellationToken) =>
        (from k in db.ApiKeys.AsNoTracking()
         join c in db.Clients.AsNoTracking() on k.ClientId equals c.Id
         where k.Hash == keyHash && k.RevokedAt == null && c.Enabled
         select new Credential(c.Id, c.Name, k.Id, k.Roles))
        .FirstOrDefaultAsync(cancellationToken);

    private async Task SaveAndForgetAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
