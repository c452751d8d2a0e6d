using System.Xml;
using System.Xml.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using SoapCore.Extensibility;

namespace JobGateway.Soap.Asmx;

/// <summary>
/// ASMX's HTTP GET and HTTP POST bindings on <c>{path}/{operation}</c>: parameters from the query string or a
/// posted form, the contract's method run on the service SoapCore would resolve, and the result type's element as
/// the root of a plain XML reply. Errors are plain text with HTTP 500, as ASMX answers. A service that does not
/// offer the bindings answers every such URL with ASMX's "unrecognized" text.
/// </summary>
internal sealed class AsmxHttpBindings
{
    private const string FormContentType = "application/x-www-form-urlencoded";

    private readonly AsmxService _service;
    private readonly SoapOptions _options;
    private readonly AsmxFaultTransformer _faults;
    private readonly IOperationInvoker _invoker;
    private readonly Dictionary<AsmxOperation, (XmlSerializer Serializer, XmlSerializerNamespaces Namespaces)> _writers;

    public AsmxHttpBindings(AsmxService service, IOptions<SoapOptions> options, AsmxFaultTransformer faults, IOperationInvoker invoker)
    {
        _service = service;
        _options = options.Value;
        _faults = faults;
        _invoker = invoker;
        var namespaces = new XmlSerializerNamespaces();
        namespaces.Add(string.Empty, service.Namespace);

        // XmlSerializers made once: the constructors that take a root leak a generated assembly per instance.
        _writers = service.OffersHttpGetAndPost
            ? service.Operations.ToDictionary(
                o => o,
                o => (new XmlSerializer(o.Result.ClrType, new XmlRootAttribute(o.Result.Name) { Namespace = service.Namespace }), namespaces))
            : [];
    }

    public async Task HandleAsync(HttpContext context)
    {
        var name = context.GetRouteValue("operation") as string ?? string.Empty;
        if (!_service.OffersHttpGetAndPost)
        {
            await PlainErrorAsync(context, $"Request format is unrecognized for URL unexpectedly ending in '/{name}'.");
            return;
        }

        if (_service.ByName(name) is not { } operation)
        {
            await PlainErrorAsync(context, $"{name} Web Service method name is not valid.");
            return;
        }

        Func<string, string?> lookup;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            var query = context.Request.Query;
            lookup = key => First(query[key]);
        }
        else
        {
            var contentType = context.Request.ContentType;
            if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
                || !mediaType.MediaType.Equals(FormContentType, StringComparison.OrdinalIgnoreCase))
            {
                await PlainErrorAsync(context, $"Request format is invalid: {contentType}.");
                return;
            }

            using var body = await RequestBody.ReadAsync(context.Request, _options.MaxRequestBytes, context.RequestAborted);
            if (body is null)
            {
                await PlainErrorAsync(context, $"The request body is larger than {_options.MaxRequestBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
                return;
            }

            Dictionary<string, StringValues> form;
            try
            {
                using var reader = new FormReader(body.AsStream());
                form = await reader.ReadFormAsync(context.RequestAborted);
            }
            catch (InvalidDataException)
            {
                await PlainErrorAsync(context, $"Request format is invalid: {contentType}.");
                return;
            }

            lookup = key => form.TryGetValue(key, out var values) ? First(values) : null;
        }

        object? result;
        try
        {
            var arguments = Bind(operation, lookup);
            var instance = context.RequestServices.GetRequiredService(_service.ContractType);
            result = await _invoker.InvokeAsync(operation.Method, instance, arguments);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested || AsmxFaultTransformer.TimedOut(context))
        {
            var fault = _faults.ToFault(exception);
            await PlainErrorAsync(context, fault.Message, fault.HttpStatus);
            return;
        }

        var (serializer, namespaces) = _writers[operation];
        using var buffer = new MemoryStream(512);
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), CloseOutput = false }))
        {
            serializer.Serialize(writer, result, namespaces);
        }

        await AsmxResponses.WriteAsync(context, StatusCodes.Status200OK, AsmxEnvelope.Soap11ContentType, buffer);
    }

    /// <summary>The method's arguments, in order; a missing or ill-typed parameter faults naming it.</summary>
    private static object[] Bind(AsmxOperation operation, Func<string, string?> lookup) =>
        [.. operation.Parameters.Select(p =>
            lookup(p.Name) is { } text
                ? XsdTypes.Parse(p.Type, text) ?? throw SoapFaultException.InvalidParameter(p.Name, p.Type)
                : throw SoapFaultException.MissingParameter(p.Name))];

    private static Task PlainErrorAsync(HttpContext context, string message, int status = StatusCodes.Status500InternalServerError) =>
        AsmxResponses.WriteTextAsync(context, status, AsmxResponses.PlainTextContentType, message);

    private static string? First(StringValues values) => values.Count == 0 ? null : values[0];
}
