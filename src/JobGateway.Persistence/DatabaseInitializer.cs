using JobGateway.Core.Clients;
using JobGateway.Persistence.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobGateway.Persistence;

/// <summary>
/// Runs before the server accepts requests: applies the provider's migrations and, on an empty database,
/// creates the admin client with the bootstrap key.
/// </summary>
/// <remarks>
/// On SQLite the migrations run on an ordinary connection of their own, closed before anything else opens the
/// file: with <see cref="DatabaseOptions.SqliteExclusive"/> the gateway's connections hold the file for the
/// process, and EF's migrator opens (and closes) a read-only connection to check that the file exists, which
/// would give that process-wide lock back (POSIX locks belong to the process).
/// </remarks>
internal sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    IOptions<DatabaseOptions> options,
    TimeProvider time,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public const string BootstrapKeySetting = "Gateway:BootstrapAdminKey";
    public const string AdminClientName = "admin";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (options.Value.Provider == DatabaseProvider.Sqlite)
        {
            await MigrateSqliteAsync(PersistenceModule.SqliteConnectionString(scope.ServiceProvider), cancellationToken);
        }
        else
        {
            await scope.ServiceProvider.GetRequiredService<GatewayDbContext>().Database.MigrateAsync(cancellationToken);
        }

        var clients = scope.ServiceProvider.GetRequiredService<IClientStore>();
        if (!await clients.AnyClientAsync(cancellationToken))
        {
            await BootstrapAdminAsync(clients, cancellationToken);
        }
        else
        {
            await WarnIfBootstrapKeyIgnoredAsync(clients, cancellationToken);
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

    /// <summary>
    /// The bootstrap key only seeds an empty database. A configured key that the database does not know is
    /// therefore ignored; the operator is told, because every call made with it would get 401.
    /// </summary>
    private async Task WarnIfBootstrapKeyIgnoredAsync(IClientStore clients, CancellationToken cancellationToken)
    {
        var configured = configuration[BootstrapKeySetting];
        if (string.IsNullOrWhiteSpace(configured)
            || await clients.FindCredentialAsync(ApiKey.HashSecret(configured.Trim()), cancellationToken) is not null)
        {
            return;
        }

        LogBootstrapKeyIgnored(logger, BootstrapKeySetting, options.Value.Provider);
    }

    private async Task MigrateSqliteAsync(string connectionString, CancellationToken cancellationToken)
    {
        var file = SqliteFileAccess.FilePath(connectionString);
        try
        {
            var directory = string.IsNullOrEmpty(file) ? null : Path.GetDirectoryName(Path.GetFullPath(file));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            var unpooled = new SqliteConnectionStringBuilder(connectionString)
            {
                Pooling = false,
                DefaultTimeout = Math.Max(1, options.Value.SqliteBusyTimeoutMs / 1000),
            };
            var migrating = new DbContextOptionsBuilder<SqliteGatewayDbContext>().UseSqlite(unpooled.ToString()).Options;
            await using var db = new SqliteGatewayDbContext(migrating);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (Exception exception) when (file is not null && DatabaseStartupException.ForSqlite(exception, file) is { } startup)
        {
            // The first open of the file: where a second gateway on it, or a directory the gateway cannot write, shows.
            throw startup;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the admin client. Its bootstrap API key, shown only this once: {ApiKey}")]
    private static partial void LogGeneratedKey(ILogger logger, string apiKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the admin client with the key from {Setting}")]
    private static partial void LogConfiguredKey(ILogger logger, string setting);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Setting} is set but ignored: this {Provider} database already has its admin client, "
        + "created with another key, and the setting only seeds an empty database. Use the key this database was "
        + "created with (logged at its first start), or point Gateway:Database at an empty database.")]
    private static partial void LogBootstrapKeyIgnored(ILogger logger, string setting, DatabaseProvider provider);
}
