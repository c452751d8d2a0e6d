using System.Text.Json.Nodes;
using JobGateway.Core.AccountTasks;
using JobGateway.Core.Clients;
using JobGateway.Core.Jobs;
using JobGateway.Core.Notifications;
using JobGateway.Rest.AccountTasks;
using JobGateway.Rest.Admin;
using JobGateway.Rest.Auth;
using JobGateway.Rest.ElasticPath;
using JobGateway.Rest.Jobs;
using JobGateway.Rest.Worker;
using Microsoft.OpenApi;

namespace JobGateway.Api;

/// <summary>
/// The words the contracts' string members take, as named schemas of the document: each list is made by the mapper
/// that writes the words (so a new status shows up here by itself), and the table says which members carry which.
/// </summary>
internal static class WireEnums
{
    /// <summary>A named enumeration: its schema name, description and words.</summary>
    internal sealed record WireEnum(string Name, string Description, IReadOnlyList<string> Words);

    public static readonly WireEnum NativeStatus = new(
        "JobStatus", "A job's status in the native and worker APIs.", Words<JobStatus>(Rest.Jobs.NativeStatus.ToWord));

    public static readonly WireEnum Delivery = new(
        "DeliveryState", "Where a webhook delivery of a status change stands.", Words<DeliveryState>(DeliveryWords.ToWord));

    public static readonly WireEnum SubscriptionStatus = new(
        "SubscriptionJobStatus", "Elastic Path's words for a job's status (a cancelled job reads `failed`).", Words<JobStatus>(ElasticPathStatus.ToWord));

    public static readonly WireEnum SubscriptionJobType = new(
        "SubscriptionJobType", "The job types of Elastic Path subscription jobs.", ElasticPathJobTypes.All);

    public static readonly WireEnum TaskStatus = new(
        "AccountTaskStatus", "A task's status: its last run's (Scheduled before any run), or Disabled.",
        [.. Words<JobStatus>(TaskStatusWords.ToWord), TaskStatusWords.Disabled]);

    public static readonly WireEnum Frequency = new(
        "Frequency", "How often a task runs. Requests may also send the number: " + TwoSmsWire.Describe<TaskFrequency>(TwoSmsWire.ToName) + ".",
        Words<TaskFrequency>(TwoSmsWire.ToName));

    public static readonly WireEnum Notification = new(
        "Notification", "Which finished runs are notified. Requests may also send the number: " + TwoSmsWire.Describe<TaskNotification>(TwoSmsWire.ToName) + ".",
        Words<TaskNotification>(TwoSmsWire.ToName));

    public static readonly WireEnum ParametersContentType = new(
        "ParametersContentType", "The format of a task's Parameters.", [AccountTaskRequestValidator.JsonParameters, AccountTaskRequestValidator.XmlParameters]);

    public static readonly WireEnum Role = new(
        "Role", "A role of an API key: `client` creates and reads its client's jobs, `worker` runs jobs, `admin` manages clients and keys.",
        Enum.GetValues<ApiKeyRoles>().Where(r => r != ApiKeyRoles.None).Select(GatewayClaims.RoleName).ToArray());

    /// <summary>Which member (of which contract, by its JSON name) holds which words; a member that is an array holds them in its items.</summary>
    public static readonly IReadOnlyDictionary<(Type Type, string Member), WireEnum> Members = new Dictionary<(Type, string), WireEnum>
    {
        [(typeof(JobResponse), "status")] = NativeStatus,
        [(typeof(WorkerJobState), "status")] = NativeStatus,
        [(typeof(JobEventResponse), "from")] = NativeStatus,
        [(typeof(JobEventResponse), "to")] = NativeStatus,
        [(typeof(JobEventResponse), "delivery")] = Delivery,
        [(typeof(SubscriptionJobAttributes), "status")] = SubscriptionStatus,
        [(typeof(SubscriptionJobAttributes), "job_type")] = SubscriptionJobType,
        [(typeof(SubscriptionJobCreateAttributes), "job_type")] = SubscriptionJobType,
        [(typeof(AccountTaskResponse), "Status")] = TaskStatus,
        [(typeof(AccountTaskResponse), "Frequency")] = Frequency,
        [(typeof(AccountTaskResponse), "Notification")] = Notification,
        [(typeof(AccountTaskResponse), "ContentType")] = ParametersContentType,
        [(typeof(AccountTaskRequest), "Frequency")] = Frequency,
        [(typeof(AccountTaskRequest), "Notification")] = Notification,
        [(typeof(AccountTaskRequest), "ContentType")] = ParametersContentType,
        [(typeof(WebhookRequest), "notification")] = Notification,
        [(typeof(WebhookResponse), "notification")] = Notification,
        [(typeof(KeyResponse), "roles")] = Role,
        [(typeof(IssuedKeyResponse), "roles")] = Role,
        [(typeof(CreateClientRequest), "roles")] = Role,
        [(typeof(IssueKeyRequest), "roles")] = Role,
    };

    /// <summary>Members that always hold one word.</summary>
    public static readonly IReadOnlyDictionary<(Type Type, string Member), string> Constants = new Dictionary<(Type, string), string>
    {
        [(typeof(SubscriptionJob), "type")] = SubscriptionJob.ResourceType,
        [(typeof(SubscriptionJobCreateData), "type")] = SubscriptionJob.ResourceType,
        [(typeof(SubscriptionJobMeta), "owner")] = ElasticPathJobsApi.Owner,
        [(typeof(TaxItem), "type")] = SubscriptionJobCreateRequestValidator.TaxItemType,
        [(typeof(ResponseDataOfAccountTaskResponse), "Result")] = AccountTasksApi.Success,
        [(typeof(ResponseDataOfArrayOfAccountTaskResponse), "Result")] = AccountTasksApi.Success,
    };

    /// <summary>The schema of <paramref name="wireEnum"/>.</summary>
    public static OpenApiSchema Schema(WireEnum wireEnum) => new()
    {
        Type = JsonSchemaType.String,
        Description = wireEnum.Description,
        Enum = wireEnum.Words.Select(w => (JsonNode)JsonValue.Create(w)).ToList(),
    };

    private static string[] Words<T>(Func<T, string> toWord)
        where T : struct, Enum =>
        Enum.GetValues<T>().Select(toWord).Distinct(StringComparer.Ordinal).ToArray();
}
