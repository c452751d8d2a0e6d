using JobGateway.Core.AccountTasks;
using JobGateway.Core.Clients;
using JobGateway.Core.Execution;
using JobGateway.Core.Jobs;
using JobGateway.Core.Notifications;
using JobGateway.Core.Telemetry;
using JobGateway.Persistence.Postgres;
using JobGateway.Persistence.Sqlite;
using JobGateway.Persistence.Stores;
using Microsoft.EntityFrameworkCore;
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
        services.AddSingleton<SqliteWriteGate>();
        services.AddDbContextPool<SqliteGatewayDbContext>((sp, options) =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            options.UseSqlite(SqliteFileAccess.Apply(SqliteConnectionString(sp), database.SqliteExclusive))
                .AddInterceptors(
                    new SqlitePragmaInterceptor(database.SqliteDurability, database.SqliteBusyTimeoutMs, database.SqliteMaxSizeBytes),
                    sp.GetRequiredService<SqliteWriteGate>());
        });
        services.AddSingleton(sp => NpgsqlDataSource.Create(
            PostgresConnectionDefaults.Apply(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!)));
        services.AddDbContextPool<PostgresGatewayDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
                .AddInterceptors(new PostgresBrokenConnections(sp.GetRequiredService<NpgsqlDataSource>())));
        services.AddScoped<GatewayDbContext>(sp => IsPostgres(sp)
            ? sp.GetRequiredService<PostgresGatewayDbContext>()
            : sp.GetRequiredService<SqliteGatewayDbContext>());

        // Migrations run first, before the gateway takes its SQLite file for itself.
        services.AddHostedService<DatabaseInitializer>();
        // On SQLite the group commit's inserts and the reads of one job run on prepared statements of their own.
        services.AddSingleton(sp =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new SqliteJobStatements(
                SqliteFileAccess.Apply(SqliteConnectionString(sp), database.SqliteExclusive),
                SqlitePragmaInterceptor.Pragmas(database.SqliteDurability, database.SqliteBusyTimeoutMs, database.SqliteMaxSizeBytes),
                SqliteModel(sp));
        });
        services.AddSingleton(sp => new JobWriteBatcher(
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<IJobSignal>(),
            sp.GetRequiredService<ILogger<JobWriteBatcher>>(),
            IsPostgres(sp) ? null : sp.GetRequiredService<SqliteJobStatements>(),
            IsPostgres(sp) ? null : sp.GetRequiredService<SqliteWriteGate>()));
        services.AddHostedService(sp => sp.GetRequiredService<JobWriteBatcher>());
        services.AddSingleton<JobUpdateWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<JobUpdateWriter>());
        services.AddScoped<IJobStore>(sp => new EfJobStore(
            RentedOnUse(sp),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<JobWriteBatcher>(),
            sp.GetRequiredService<JobUpdateWriter>(),
            sp.GetRequiredService<Core.Telemetry.GatewayTelemetry>(),
            IsPostgres(sp) ? null : sp.GetRequiredService<SqliteJobStatements>()));
        services.AddScoped<IClientStore>(sp => new EfClientStore(RentedOnUse(sp)));
        services.AddScoped<INotificationStore, EfNotificationStore>();
        services.AddScoped<IAccountTaskScheduleStore, EfAccountTaskScheduleStore>();
        services.AddScoped<IAccountTaskStore, EfAccountTaskStore>();
        services.AddScoped<Core.Operations.IOperationsStore, EfOperationsStore>();

        // Several instances share a PostgreSQL database, so there a new job must wake the other instances too.
        services.AddSingleton<InProcessJobSignal>();
        services.AddSingleton<PostgresJobSignal>();
        services.AddSingleton<IJobSignal>(sp => IsPostgres(sp)
            ? sp.GetRequiredService<PostgresJobSignal>()
            : sp.GetRequiredService<InProcessJobSignal>());
        services.AddHostedService<PostgresSignalListener>();
        services.AddMetrics();
        services.AddSingleton<GatewayTelemetry>();
        services.AddSingleton<CredentialCache>();
        services.AddSingleton<Core.IStoreFailures, DatabaseFailures>();
        services.AddScoped<ApiKeyAuthenticator>();
        return services;
    }

    /// <summary>The configured SQLite connection string (the default file under the content root when none is).</summary>
    internal static string SqliteConnectionString(IServiceProvider services)
    {
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var contentRoot = services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        return string.IsNullOrWhiteSpace(database.ConnectionString)
            ? $"Data Source={Path.Combine(contentRoot, "data", "jobgateway.db")}"
            : database.ConnectionString;
    }

    // The request's context, rented from the pool when a store first uses it.
    private static Lazy<GatewayDbContext> RentedOnUse(IServiceProvider services) => new(services.GetRequiredService<GatewayDbContext>);

    // EF's model of the SQLite context, read once from a context rented and returned at once.
    private static Microsoft.EntityFrameworkCore.Metadata.IModel SqliteModel(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<SqliteGatewayDbContext>().Model;
    }

    private static bool IsPostgres(IServiceProvider services) =>
        services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.PostgreSql;
}
