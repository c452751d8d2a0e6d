using JobGateway.Core.AccountTasks;
using JobGateway.Core.Clients;
using JobGateway.Core.Execution;
using JobGateway.Core.Jobs;
using JobGateway.Core.Notifications;
using JobGateway.Persistence.Postgres;
using JobGateway.Persistence.Sqlite;
using JobGateway.Persistence.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobGateway.Persistence;

public static class PersistenceModule
{
    /// <summary>The database, the stores behind Core's ports, and migrations at start-up.</summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // One pool per provider; only the configured one is ever resolved (the provider is a run-time
        // option, so the choice is made when GatewayDbContext is asked for, not here).
        services.AddDbContextPool<SqliteGatewayDbContext>((sp, options) =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            options.UseSqlite(SqliteConnectionString(sp))
                .ReplaceService<IRelationalDatabaseCreator, SqliteFileDatabaseCreator>()
                .AddInterceptors(new SqlitePragmaInterceptor(database.SqliteDurability, database.SqliteBusyTimeoutMs));
        });
        services.AddSingleton(sp => NpgsqlDataSource.Create(
            PostgresConnectionDefaults.Apply(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!)));
        services.AddDbContextPool<PostgresGatewayDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddScoped<GatewayDbContext>(sp => IsPostgres(sp)
            ? sp.GetRequiredService<PostgresGatewayDbContext>()
            : sp.GetRequiredService<SqliteGatewayDbContext>());

        services.AddScoped(sp => new LazyDbContext(sp));

        // On SQLite the hottest statements run on prepared statements of their own (SqliteJobRows).
        services.AddSingleton(sp =>
        {
            if (IsPostgres(sp))
            {
                return new FastJobRows(null, new PostgresJobRows(sp.GetRequiredService<NpgsqlDataSource>()));
            }

            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new FastJobRows(new SqliteJobRows(
                SqliteConnectionString(sp), database.SqliteDurability, database.SqliteBusyTimeoutMs, sp.GetRequiredService<ILogger<SqliteCheckpointer>>()));
        });
        services.AddSingleton<IJobBatchInserter>(sp => sp.GetRequiredService<FastJobRows>().Sqlite is { } rows
            ? rows
            : new EfJobBatchInserter(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<JobWriteBatcher>();
        // The two stores every request uses hold nothing but the request's (scoped) context, so they are transient:
        // a scoped service costs a lookup and an entry in the request scope's table, per request.
        services.AddTransient<IJobStore, EfJobStore>();
        services.AddTransient<IClientStore, EfClientStore>();
        services.AddScoped<INotificationStore, EfNotificationStore>();
        services.AddScoped<IAccountTaskScheduleStore, EfAccountTaskScheduleStore>();
        services.AddScoped<IAccountTaskStore, EfAccountTaskStore>();
        // Several instances share a PostgreSQL database, so there a new job must wake the other instances too.
        services.AddSingleton<InProcessJobSignal>();
        services.AddSingleton<PostgresJobSignal>();
        services.AddSingleton<IJobSignal>(sp => IsPostgres(sp)
            ? sp.GetRequiredService<PostgresJobSignal>()
            : sp.GetRequiredService<InProcessJobSignal>());
        services.AddHostedService<PostgresSignalListener>();
        services.AddSingleton<CredentialCache>();
        services.AddTransient<ApiKeyAuthenticator>();
        services.AddHostedService<DatabaseInitializer>();
        return services;
    }

    private static string SqliteConnectionString(IServiceProvider services)
    {
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var contentRoot = services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        var configured = string.IsNullOrWhiteSpace(database.ConnectionString)
            ? $"Data Source={Path.Combine(contentRoot, "data", "jobgateway.db")}"
            : database.ConnectionString;
        return SqliteFileAccess.Apply(configured, database.SqliteExclusive);
    }

    private static bool IsPostgres(IServiceProvider services) =>
        services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.PostgreSql;
}
