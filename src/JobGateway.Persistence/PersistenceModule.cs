using JobGateway.Core.AccountTasks;
using JobGateway.Core.Clients;
using JobGateway.Core.Execution;
using JobGateway.Core.Jobs;
using JobGateway.Core.Notifications;
using JobGateway.Persistence.Sqlite;
using JobGateway.Persistence.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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

        services.AddDbContextPool<GatewayDbContext, SqliteGatewayDbContext>((sp, options) =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var contentRoot = sp.GetRequiredService<IHostEnvironment>().ContentRootPath;
            var connectionString = string.IsNullOrWhiteSpace(database.ConnectionString)
                ? $"Data Source={Path.Combine(contentRoot, "data", "jobgateway.db")}"
                : database.ConnectionString;
            options.UseSqlite(connectionString)
                .AddInterceptors(new SqlitePragmaInterceptor(database.SqliteDurability, database.SqliteBusyTimeoutMs));
        });

        services.AddScoped<IJobStore, EfJobStore>();
        services.AddScoped<IClientStore, EfClientStore>();
        services.AddScoped<INotificationStore, EfNotificationStore>();
        services.AddScoped<IAccountTaskScheduleStore, EfAccountTaskScheduleStore>();
        services.AddScoped<IAccountTaskStore, EfAccountTaskStore>();
        services.AddSingleton<IJobSignal, InProcessJobSignal>();
        services.AddSingleton<CredentialCache>();
        services.AddScoped<ApiKeyAuthenticator>();
        services.AddHostedService<DatabaseInitializer>();
        return services;
    }
}
