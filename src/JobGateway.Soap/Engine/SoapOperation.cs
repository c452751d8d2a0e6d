using System.Xml;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Soap.Engine;

/// <summary>
/// One operation of a service, described once: its name, parameters, headers and result type drive routing,
/// reading, the WSDL, the help pages and the response. Declare it as a <see cref="SoapOperation{THandler, TRequest, TResponse}"/>.
/// </summary>
public abstract class SoapOperation
{
    private protected SoapOperation()
    {
    }

    /// <summary>The operation name; also the request element's name.</summary>
    public required string Name { get; init; }

    /// <summary>One sentence shown in the WSDL and on the help pages.</summary>
    public required string Documentation { get; init; }

    /// <summary>The request element's children, in schema order (readers accept any order).</summary>
    public required IReadOnlyList<SoapParameter> Parameters { get; init; }

    /// <summary>The SOAP headers the operation reads.</summary>
    public IReadOnlyList<SoapHeader> Headers { get; init; } = [];

    /// <summary>The type of <c>{Name}Result</c>, also the root element of the HTTP GET and POST replies.</summary>
    public abstract ISoapComplexType ResultType { get; }

    /// <summary>The response wrapper element.</summary>
    public string ResponseElement => Name + "Response";

    /// <summary>The result element inside the wrapper.</summary>
    public string ResultElement => Name + "Result";

    internal abstract Task<SoapResult> InvokeAsync(IServiceProvider services, SoapArguments arguments, CancellationToken cancellationToken);
}

/// <summary>
/// An operation run by <typeparamref name="THandler"/>, resolved from the request's services, on a typed request
/// built by <see cref="Bind"/> from the arguments.
/// </summary>
public sealed class SoapOperation<THandler, TRequest, TResponse> : SoapOperation
    where THandler : notnull
{
    /// <summary>The response's members.</summary>
    public required SoapComplexType<TResponse> Result { get; init; }

    /// <summary>Builds the request; the typed accessors fault on a missing or ill-typed parameter.</summary>
    public required Func<SoapArguments, TRequest> Bind { get; init; }

    /// <summary>Runs the operation.</summary>
    public required Func<THandler, TRequest, CancellationToken, Task<TResponse>> Invoke { get; init; }

    public override ISoapComplexType ResultType => Result;

    internal override async Task<SoapResult> InvokeAsync(IServiceProvider services, SoapArguments arguments, CancellationToken cancellationToken)
    {
        // Binding first: a bad parameter faults before any handler (or its dependencies) is created.
        var request = Bind(arguments);
        var handler = services.GetRequiredService<THandler>();
        var response = await Invoke(handler, request, cancellationToken);
        return new TypedResult<TResponse>(Result, response);
    }

    private sealed class TypedResult<T>(SoapComplexType<T> type, T value) : SoapResult
    {
        internal override void WriteMembers(XmlWriter writer, string ns) => type.WriteMembers(writer, value, ns);

        internal override bool TryWriteMembers(SoapReplyBuffer buffer) => type.TryWriteMembers(buffer, value);
    }
}

/// <summary>A value returned by an operation, ready to be written.</summary>
internal abstract class SoapResult
{
    internal abstract void WriteMembers(XmlWriter writer, string ns);

    /// <summary>The members on the reply writer's fast lane; false when only the XmlWriter can write them.</summary>
    internal abstract bool TryWriteMembers(SoapReplyBuffer buffer);
}
