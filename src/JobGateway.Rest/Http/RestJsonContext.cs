using System.Text.Json;
using System.Text.Json.Serialization;
using JobGateway.Rest.Jobs;
using JobGateway.Rest.Worker;

namespace JobGateway.Rest.Http;

/// <summary>
/// Serialization code generated at build time for the hot contracts (the native jobs API and the worker API),
/// with the web defaults minimal APIs use. It is first in the HTTP JSON options' resolver chain, so writing these
/// types runs straight-line generated code instead of the reflection-built converters; every other type still
/// resolves through reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CreateJobRequest))]
[JsonSerializable(typeof(JobResponse))]
[JsonSerializable(typeof(JobListResponse))]
[JsonSerializable(typeof(JobEventResponse[]))]
[JsonSerializable(typeof(FetchedJob[]))]
[JsonSerializable(typeof(CompleteManyRequest))]
[JsonSerializable(typeof(CompletionOutcome[]))]
internal sealed partial class RestJsonContext : JsonSerializerContext;
