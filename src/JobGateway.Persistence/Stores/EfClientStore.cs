using JobGateway.Core.Clients;
using Microsoft.EntityFrameworkCore;

namespace JobGateway.Persistence.Stores;

/// <summary>Clients and keys on EF Core. The request's context is rented only when a method needs it: a key found in the credential cache never rents one.</summary>
internal sealed class EfClientStore(Lazy<GatewayDbContext> context) : IClientStore
{
    private GatewayDbContext Db => context.Value;

    public Task<bool> AnyClientAsync(CancellationToken cancellationToken) => Db.Clients.AnyAsync(cancellationToken);

    public async Task AddClientAsync(Client client, ApiKey firstKey, CancellationToken cancellationToken)
    {
        Db.Clients.Add(client);
        Db.ApiKeys.Add(firstKey);
        await SaveAndForgetAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Client>> ListClientsAsync(CancellationToken cancellationToken) =>
        await Db.Clients.AsNoTracking().OrderBy(c => c.CreatedAt).ThenBy(c => c.Name).ToListAsync(cancellationToken);

    public Task<Client?> GetClientAsync(Guid clientId, CancellationToken cancellationToken) =>
        Db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.Id == clientId, cancellationToken);

    public Task<bool> ClientNameExistsAsync(string name, CancellationToken cancellationToken) =>
        Db.Clients.AnyAsync(c => c.Name == name, cancellationToken);

    public Task<Client?> SetClientEnabledAsync(Guid clientId, bool enabled, CancellationToken cancellationToken) =>
        ChangeClientAsync(clientId, c => c.SetEnabled(enabled), cancellationToken);

    public async Task<(Client Client, string? Secret)?> SetWebhookAsync(Guid clientId, Uri? url, Core.AccountTasks.TaskNotification notification, CancellationToken cancellationToken)
    {
        string? secret = null;
        var client = await ChangeClientAsync(clientId, c => secret = c.SetWebhook(url, notification), cancellationToken);
        return client is null ? null : (client, secret);
    }

    public Task<Client?> SetLimitsAsync(Guid clientId, ClientLimits limits, CancellationToken cancellationToken) =>
        ChangeClientAsync(clientId, c => c.SetLimits(limits), cancellationToken);

    /// <summary>Applies <paramref name="change"/> to the client and saves it; null when there is no such client.</summary>
    private async Task<Client?> ChangeClientAsync(Guid clientId, Action<Client> change, CancellationToken cancellationToken)
    {
        var client = await Db.Clients.FirstOrDefaultAsync(c => c.Id == clientId, cancellationToken);
        if (client is null)
        {
            return null;
        }

        change(client);
        await SaveAndForgetAsync(cancellationToken);
        return client;
    }

    public async Task AddKeyAsync(ApiKey key, CancellationToken cancellationToken)
    {
        Db.ApiKeys.Add(key);
        await SaveAndForgetAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ApiKey>> ListKeysAsync(Guid clientId, CancellationToken cancellationToken) =>
        await Db.ApiKeys.AsNoTracking().Where(k => k.ClientId == clientId).OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken);

    public async Task<ApiKey?> RevokeKeyAsync(Guid clientId, Guid keyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = await Db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.ClientId == clientId, cancellationToken);
        if (key is null)
        {
            return null;
        }

        key.Revoke(now);
        await SaveAndForgetAsync(cancellationToken);
        return key;
    }

    public Task<Credential?> FindCredentialAsync(string keyHash, CancellationToken cancellationToken) =>
        (from k in Db.ApiKeys.AsNoTracking()
         join c in Db.Clients.AsNoTracking() on k.ClientId equals c.Id
         where k.Hash == keyHash && k.RevokedAt == null && c.Enabled
         select new Credential(c.Id, c.Name, k.Id, k.Roles) { Limits = new ClientLimits(c.CreatesPerSecond, c.CreateBurst, c.MaxPendingJobs) })
        .FirstOrDefaultAsync(cancellationToken);

    private async Task SaveAndForgetAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            Db.ChangeTracker.Clear();
        }
    }
}
