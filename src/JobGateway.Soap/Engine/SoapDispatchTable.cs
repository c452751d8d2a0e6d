namespace JobGateway.Soap.Engine;

/// <summary>A service's lookups, built once: operation by name, by SOAP action and by request element.</summary>
internal sealed class SoapDispatchTable
{
    private readonly Dictionary<string, SoapOperation> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SoapOperation> _byAction = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SoapHeader> _headers = new(StringComparer.Ordinal);

    public SoapDispatchTable(SoapServiceDescription service)
    {
        ArgumentNullException.ThrowIfNull(service);
        service.Validate();
        Service = service;
        foreach (var operation in service.Operations)
        {
            _byName.Add(operation.Name, operation);
            _byAction.Add(service.ActionOf(operation), operation);
            foreach (var header in operation.Headers)
            {
                if (_headers.TryGetValue(header.Name, out var known) && !ReferenceEquals(known, header))
                {
                    throw new InvalidOperationException($"Service {service.Name} declares two different headers named {header.Name}.");
                }

                _headers[header.Name] = header;
            }
        }
    }

    public SoapServiceDescription Service { get; }

    public SoapOperation? ByName(string name) => _byName.GetValueOrDefault(name);

    public SoapOperation? ByAction(string action) => _byAction.GetValueOrDefault(action);

    /// <summary>The operation whose request element this is; every element lives in the service namespace.</summary>
    public SoapOperation? ByElement(string localName, string ns) =>
        string.Equals(ns, Service.Namespace, StringComparison.Ordinal) ? _byName.GetValueOrDefault(localName) : null;

    /// <summary>A header some operation of the service reads.</summary>
    public SoapHeader? HeaderByElement(string localName, string ns) =>
        string.Equals(ns, Service.Namespace, StringComparison.Ordinal) ? _headers.GetValueOrDefault(localName) : null;
}
