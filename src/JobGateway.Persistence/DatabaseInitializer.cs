using JobGateway.Core.Clients;
using JobGateway.Persistence.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JobGateway.Persistence;

/// <summary>
/// Runs before the server accepts requests: applies the provider's migrations and, on an empty database,
/// creates the admin client with the bootstrap key.
/// </summary>
internal sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public const string BootstrapKeySetting = "Gateway:BootstrapAdminKey";
    public const string AdminClientName = "admin";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        if (db.Database.IsSqlite())
        {
            PrepareSqliteFile(db.Database.GetConnectionString());
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);

        // On SQLite this also starts the write-ahead log's checkpointer (SqliteJobRows), which no commit replaces.
        _ = scope.ServiceProvider.GetRequiredService<FastJobRows>();

        var clients = scope.ServiceProvider.GetRequiredService<IClientStore>();
        if (!await clients.AnyClientAsync(cancellationToken))
        {
            await BootstrapAdminAsync(clients, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task BootstrapAdminAsync(IClientStore clients, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var configured = configuration[BootstrapKeySetting];
        var admin = Client.Create(AdminClientName, now);
        var (key, secret) = ApiKey.Issue(
            admin.Id, ApiKeyRoles.Admin | ApiKeyRoles.Client | ApiKeyRoles.Worker, "bootstrap", now,
            string.IsNullOrWhiteSpace(configured) ? null : configured.Trim());
        try
        {
            await clients.AddClientAsync(admin, key, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance on the same (PostgreSQL) database bootstrapped it first.
            if (await clients.AnyClientAsync(cancellationToken))
            {
                return;
            }

            throw;
        }

        if (string.IsNullOrWhiteSpace(configured))
        {
            // Shown once: only its hash is stored, so this line is the only place it ever appears.
            LogGeneratedKey(logger, secret);
        }
        else
        {
            LogConfiguredKey(logger, BootstrapKeySetting);
        }
    }

    private static void PrepareSqliteFile(string? connectionString)
    {
        var file = connectionString is null ? null : SqliteFileAccess.FilePath(connectionString);
        var directory = string.IsNullOrEmpty(file) ? null : Path.GetDirectoryName(Path.GetFullPath(file));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the admin client. Its bootstrap API key, shown only this once: {ApiKey}")]
    private static partial void LogGeneratedKey(ILogger logger, string apiKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the admin client with the key from {Setting}")]
    private static partial void LogConfiguredKey(ILogger logger, string setting);
}
