using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using JobGateway.Rest.AccountTasks;
using JobGateway.Rest.ElasticPath;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace JobGateway.Api;

/// <summary>
/// What a contract's schema cannot learn from its C# type alone, read from the contract the serializer uses:
/// <list type="bullet">
/// <item>Answers are records the gateway builds: every member the serializer writes is <c>required</c> (null where the
/// type says it may be null); a member written only when it has a value (<c>JsonIgnore WhenWritingNull</c>) is
/// optional and never null.</item>
/// <item>Requests are classes whose <c>[Required]</c> members their validators insist on: required, never null.</item>
/// <item>String members that take a fixed set of words reference the named enumerations of <see cref="WireEnums"/>.</item>
/// <item>Problem details as <see cref="Rest.Http.ProblemDetailsDialect"/> writes them, with the stable <c>code</c>.</item>
/// <item>The vendors' request bodies accept members they do not know (as Elastic Path and ASP.NET Web API do); the
/// 2sms envelopes carry their XML element names.</item>
/// </list>
/// </summary>
internal sealed class ContractSchemaFilter(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions) : ISchemaFilter
{
    // The same names and attributes as the application's options, read by reflection so every member's attributes
    // are at hand (the source-generated contracts of the hot types may not carry them).
    private readonly JsonSerializerOptions _contracts = new(jsonOptions.Value.SerializerOptions) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    // Request members read as text so that a bad value gets the surface's own error: their real formats.
    private static readonly Dictionary<(Type Type, string Member), string> TextFormats = new()
    {
        [(typeof(AccountTaskRequest), "TaskID")] = "uuid",
        [(typeof(AccountTaskRequest), "StartDate")] = "date-time",
        [(typeof(AccountTaskRequest), "FinishDate")] = "date-time",
        [(typeof(TaxesForInvoice), "invoice_id")] = "uuid",
        [(typeof(Rest.Admin.WebhookRequest), "url")] = "uri",
    };

    private static readonly HashSet<Type> VendorRequests =
    [
        typeof(SubscriptionJobCreateRequest), typeof(SubscriptionJobCreateData), typeof(SubscriptionJobCreateAttributes),
        typeof(TaxesForInvoice), typeof(TaxItem), typeof(AccountTaskRequest),
    ];

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema contract)
        {
            return;
        }

        if (context.Type == typeof(ProblemDetails) || context.Type == typeof(HttpValidationProblemDetails))
        {
            Problem(contract, validation: context.Type == typeof(HttpValidationProblemDetails));
            return;
        }

        if (contract.Properties is not { Count: > 0 } || context.Type.Namespace?.StartsWith("JobGateway.", StringComparison.Ordinal) != true)
        {
            return;
        }

        var typeInfo = _contracts.GetTypeInfo(context.Type);
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        var answer = IsRecord(context.Type);
        contract.Required ??= new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in typeInfo.Properties)
        {
            if (!contract.Properties.TryGetValue(property.Name, out var member))
            {
                continue;
            }

            var whenPresent = property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
                .OfType<JsonIgnoreAttribute>().Any(a => a.Condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault) == true;
            var required = property.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true;
            if ((answer && !whenPresent) || required)
            {
                contract.Required.Add(property.Name);
            }

            if (whenPresent || required)
            {
                NotNull(member);
            }
            else if (member is OpenApiSchemaReference reference && property.IsGetNullable)
            {
                contract.Properties[property.Name] = member = new OpenApiSchema { OneOf = [reference, new OpenApiSchema { Type = JsonSchemaType.Null }] };
            }

            if (WireEnums.Members.TryGetValue((context.Type, property.Name), out var wireEnum))
            {
                var reference = Reference(wireEnum, context.SchemaRepository);
                if (member is OpenApiSchema { Items: not null } array)
                {
                    array.Items = reference;
                }
                else
                {
                    contract.Properties[property.Name] = reference;
                }
            }
            else if (WireEnums.Constants.TryGetValue((context.Type, property.Name), out var word) && member is OpenApiSchema constant)
            {
                constant.Enum = [JsonValue.Create(word)];
            }
            else if (TextFormats.TryGetValue((context.Type, property.Name), out var format) && member is OpenApiSchema text)
            {
                text.Format = format;
            }
        }

        if (VendorRequests.Contains(context.Type))
        {
            contract.AdditionalPropertiesAllowed = true;
            contract.AdditionalProperties = null;
        }

        ElasticPath(contract, context);
        TwoSmsXml(contract, context.Type);
    }

    private static void ElasticPath(OpenApiSchema contract, SchemaFilterContext context)
    {
        if (context.Type == typeof(SubscriptionJobMeta))
        {
            // The report's shape follows the job type. The three never overlap (each has required members of its own and no
            // others), so exactly one matches: anyOf says as much as oneOf, and client generators that cannot choose a
            // oneOf branch without a discriminator (NSwag takes the first) read anyOf as an open object instead.
            contract.Properties!["report"] = new OpenApiSchema
            {
                Description = "The run's counters, shaped by the job type: a billing-run, tax-run or payment-run report. Counters the worker did not report read 0, totals it did not report `{}`.",
                AnyOf =
                [
                    context.SchemaGenerator.GenerateSchema(typeof(BillingRunReport), context.SchemaRepository),
                    context.SchemaGenerator.GenerateSchema(typeof(TaxRunReport), context.SchemaRepository),
                    context.SchemaGenerator.GenerateSchema(typeof(PaymentRunReport), context.SchemaRepository),
                ],
            };
        }
        else if (context.Type == typeof(SubscriptionJobAttributes))
        {
            contract.Properties!["taxes"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "The taxes sent with the job; absent when it was created without any.",
                Items = context.SchemaGenerator.GenerateSchema(typeof(TaxesForInvoice), context.SchemaRepository),
            };
        }
    }

    // The XML answers are the JSON envelopes with the element names ASP.NET Web API's XmlSerializer gave them: the
    // root is the envelope's name and a list's Detail holds one AccountTaskResponse element per task. In XML the
    // absent half of the envelope (Error or ResponseData) is left out, and a task's empty members are xsi:nil.
    private static void TwoSmsXml(OpenApiSchema contract, Type type)
    {
        if (type == typeof(ResponseOfAccountTaskResponse) || type == typeof(ResponseOfArrayOfAccountTaskResponse) || type == typeof(AccountTaskRequest))
        {
            contract.Xml = new OpenApiXml { Name = type.Name };
        }
        else if (type == typeof(ResponseDataOfArrayOfAccountTaskResponse) && contract.Properties!["Detail"] is OpenApiSchema { Items: { } item } detail)
        {
            detail.Xml = new OpenApiXml { Wrapped = true };
            detail.Items = new OpenApiSchema { AllOf = [item], Xml = new OpenApiXml { Name = AccountTaskResponse.XmlName } };
        }
    }

    private static void Problem(OpenApiSchema problem, bool validation)
    {
        problem.Description = "RFC 9457 problem details, with the gateway's stable `code`.";
        problem.AdditionalPropertiesAllowed = false;
        problem.AdditionalProperties = null;
        problem.Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI naming the HTTP status." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary of the problem." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What exactly was wrong, for a human." },
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "A stable, machine-readable code to branch on, e.g. `validation_failed`, `bad_request`, `unknown_member`, "
                    + "`body_required`, `body_too_large`, `unsupported_media_type`, `unauthorized`, `forbidden`, `job_not_found`, `client_not_found`, "
                    + "`key_not_found`, `client_exists`, `illegal_transition`, `job_running`, `lease_lost`, `idempotency_key_reused`, "
                    + "`invalid_idempotency_key`, `type_runs_in_process`, `internal_error`.",
            },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's id in the gateway's logs." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Per member, what is wrong with it (`validation_failed`, `unknown_member`).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        };
        problem.Required = new HashSet<string>(StringComparer.Ordinal) { "type", "title", "status", "code", "traceId" };
        if (validation)
        {
            problem.Required.Add("errors");
        }
    }

    private static OpenApiSchemaReference Reference(WireEnums.WireEnum wireEnum, SchemaRepository repository) =>
        repository.Schemas.ContainsKey(wireEnum.Name)
            ? new OpenApiSchemaReference(wireEnum.Name)
            : repository.AddDefinition(wireEnum.Name, WireEnums.Schema(wireEnum));

    private static void NotNull(IOpenApiSchema member)
    {
        if (member is OpenApiSchema { Type: { } type } schema)
        {
            schema.Type = type & ~JsonSchemaType.Null;
        }
    }

    // Positional records are the answers the gateway builds; the request contracts are classes.
    private static bool IsRecord(Type type) => type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance) is not null;
}
