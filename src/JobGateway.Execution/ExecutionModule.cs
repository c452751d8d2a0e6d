using JobGateway.Core.Execution;
using JobGateway.Execution.Scheduling;
using JobGateway.Execution.Webhooks;
using JobGateway.Execution.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Execution;

public static class ExecutionModule
{
    /// <summary>Job routing and retries, in-process workers, the lease sweeper, the scheduler and webhooks.</summary>
    public static IServiceCollection AddExecution(this IServiceCollection services)
    {
        services.AddOptions<ExecutionOptions>()
            .BindConfiguration(ExecutionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<JobTypePolicies>();
        services.AddSingleton<IJobTypePolicies>(sp => sp.GetRequiredService<JobTypePolicies>());
        services.AddScoped<JobLifecycle>();
        services.AddTransient<Core.AccountTasks.AccountTaskRunner>();
        services.AddSingleton<WorkerDirectory>();
        services.AddSingleton<IJobHandler, NoopJobHandler>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName);

        // Singletons first, so tests (and operators' tools) can step each loop by hand.
        AddLoop<InProcessWorker>(services);
        AddLoop<LeaseSweeper>(services);
        AddLoop<AccountTaskScheduler>(services);
        AddLoop<WebhookDispatcher>(services);
        return services;
    }

    private static void AddLoop<T>(IServiceCollection services)
        where T : Microsoft.Extensions.Hosting.BackgroundService
    {
        services.AddSingleton<T>();
        services.AddHostedService(sp => sp.GetRequiredService<T>());
    }
}
