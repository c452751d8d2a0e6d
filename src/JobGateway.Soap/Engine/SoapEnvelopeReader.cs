using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace JobGateway.Soap.Engine;

/// <summary>
/// Reads a SOAP envelope in one forward pass over an <see cref="XmlReader"/>: no DOM, unknown subtrees skipped
/// with a depth cap, and the whole document read to its end before anything runs, so a request that is malformed
/// anywhere changes nothing.
/// </summary>
internal static class SoapEnvelopeReader
{
    /// <summary>Positions the reader on the root element and returns the SOAP version its namespace declares.</summary>
    public static SoapVersion ReadVersion(XmlReader reader)
    {
        if (reader.MoveToContent() != XmlNodeType.Element)
        {
            throw new XmlException("Root element is missing.");
        }

        if (!string.Equals(reader.LocalName, "Envelope", StringComparison.Ordinal))
        {
            throw SoapFaultException.Client($"The root element must be a SOAP Envelope, not {reader.LocalName}.");
        }

        return reader.NamespaceURI switch
        {
            XmlNamespaces.Soap11Envelope => SoapVersion.Soap11,
            XmlNamespaces.Soap12Envelope => SoapVersion.Soap12,
            var other => throw new SoapFaultException(
                SoapFaultCode.VersionMismatch,
                $"Possible SOAP version mismatch: Envelope namespace {other} was unexpected. Expecting {XmlNamespaces.Soap11Envelope}."),
        };
    }

    /// <summary>
    /// Reads the rest of the envelope (the reader is on its start tag): the operation is
    /// <paramref name="selected"/> when an action named it, else the one whose request element the body holds.
    /// </summary>
    public static (SoapOperation Operation, SoapArguments Arguments) ReadEnvelope(
        XmlReader reader, SoapVersion version, SoapOperation? selected, SoapDispatchTable table, int maxDepth)
    {
        var envelopeNs = XmlNamespaces.Envelope(version);
        List<HeaderBlock>? headers = null;
        SoapOperation? operation = null;
        string?[]? values = null;
        if (!reader.IsEmptyElement)
        {
            reader.Read();
            while (NextElement(reader))
            {
                if (IsEnvelopeElement(reader, envelopeNs, "Header") && headers is null && operation is null)
                {
                    headers = ReadHeaders(reader, version, table, maxDepth);
                }
                else if (IsEnvelopeElement(reader, envelopeNs, "Body") && operation is null)
                {
                    (operation, values) = ReadBody(reader, selected, table, maxDepth);
                }
                else
                {
                    Skip(reader, maxDepth);
                }
            }
        }

        // Only whitespace, comments and processing instructions may follow; the reader throws on anything else.
        while (reader.Read())
        {
        }

        if (operation is null || values is null)
        {
            throw SoapFaultException.Client("The SOAP Envelope has no Body.");
        }

        return (operation, new SoapArguments(operation.Parameters, values, HeadersFor(operation, headers)));
    }

    private static Dictionary<SoapHeader, SoapArguments>? HeadersFor(SoapOperation operation, List<HeaderBlock>? blocks)
    {
        if (blocks is null || blocks.Count == 0)
        {
            return null;
        }

        List<XmlQualifiedName>? notUnderstood = null;
        Dictionary<SoapHeader, SoapArguments>? values = null;
        foreach (var block in blocks)
        {
            var understood = block.Header is not null && operation.Headers.Contains(block.Header);
            if (!understood)
            {
                if (block.MustUnderstand)
                {
                    (notUnderstood ??= []).Add(block.Name);
                }

                continue;
            }

            values ??= [];
            values[block.Header!] = new SoapArguments(block.Header!.Fields, block.Values!);
        }

        if (notUnderstood is not null)
        {
            throw new SoapFaultException(SoapFaultCode.MustUnderstand, $"SOAP header {notUnderstood[0].Name} was not understood.")
            {
                NotUnderstood = notUnderstood,
            };
        }

        return values;
    }

    private static List<HeaderBlock> ReadHeaders(XmlReader reader, SoapVersion version, SoapDispatchTable table, int maxDepth)
    {
        var blocks = new List<HeaderBlock>();
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return blocks;
        }

        var envelopeNs = XmlNamespaces.Envelope(version);
        reader.Read();
        while (NextElement(reader))
        {
            var name = new XmlQualifiedName(reader.LocalName, reader.NamespaceURI);
            var mustUnderstand = IsTrue(reader.GetAttribute("mustUnderstand", envelopeNs));
            var target = reader.GetAttribute(version == SoapVersion.Soap11 ? "actor" : "role", envelopeNs);

            // A block addressed to another node is neither read nor checked: it is not ours to understand.
            if (!IsForUltimateReceiver(version, target))
            {
                Skip(reader, maxDepth);
                continue;
            }

            var header = table.HeaderByElement(name.Name, name.Namespace);
            if (header is null)
            {
                Skip(reader, maxDepth);
                if (mustUnderstand)
                {
                    blocks.Add(new HeaderBlock(name, MustUnderstand: true, null, null));
                }

                continue;
            }

            if (blocks.Exists(b => ReferenceEquals(b.Header, header)))
            {
                throw SoapFaultException.Client($"SOAP header {header.Name} appears more than once.");
            }

            blocks.Add(new HeaderBlock(name, mustUnderstand, header, ReadValues(reader, header.Fields, table.Service.Namespace, maxDepth)));
        }

        reader.Read();
        return blocks;
    }

    private static (SoapOperation Operation, string?[] Values) ReadBody(
        XmlReader reader, SoapOperation? selected, SoapDispatchTable table, int maxDepth)
    {
        if (reader.IsEmptyElement)
        {
            throw SoapFaultException.Client("The SOAP Body is empty.");
        }

        reader.Read();
        if (!NextElement(reader))
        {
            throw SoapFaultException.Client("The SOAP Body is empty.");
        }

        var operation = table.ByElement(reader.LocalName, reader.NamespaceURI);
        if (selected is not null && !ReferenceEquals(operation, selected))
        {
            throw SoapFaultException.Client(
                $"The request element {reader.LocalName} in namespace '{reader.NamespaceURI}' does not match the operation {selected.Name} named by the SOAP action.");
        }

        if (operation is null)
        {
            throw SoapFaultException.Client(
                $"The request element {reader.LocalName} in namespace '{reader.NamespaceURI}' is not an operation of this service.");
        }

        var values = ReadValues(reader, operation.Parameters, table.Service.Namespace, maxDepth);
        while (NextElement(reader))
        {
            Skip(reader, maxDepth);
        }

        reader.Read();
        return (operation, values);
    }

    /// <summary>Reads the simple children of the current element that <paramref name="fields"/> declares, in any order.</summary>
    private static string?[] ReadValues(XmlReader reader, IReadOnlyList<SoapParameter> fields, string ns, int maxDepth)
    {
        var values = new string?[fields.Count];
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return values;
        }

        var seen = new bool[fields.Count];
        reader.Read();
        while (NextElement(reader))
        {
            var index = string.Equals(reader.NamespaceURI, ns, StringComparison.Ordinal) ? IndexOf(fields, reader.LocalName) : -1;
            if (index < 0)
            {
                Skip(reader, maxDepth);
                continue;
            }

            if (seen[index])
            {
                throw SoapFaultException.Client($"Parameter {fields[index].Name} appears more than once.");
            }

            seen[index] = true;
            if (IsTrue(reader.GetAttribute("nil", XmlNamespaces.Xsi)))
            {
                // Nil is "no value": a required parameter sent as nil faults as missing.
                Skip(reader, maxDepth);
                continue;
            }

            values[index] = ReadText(reader, fields[index].Name);
        }

        reader.Read();
        return values;
    }

    private static string ReadText(XmlReader reader, string name)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return string.Empty;
        }

        string? text = null;
        StringBuilder? builder = null;
        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    if (text is null)
                    {
                        text = reader.Value;
                    }
                    else
                    {
                        (builder ??= new StringBuilder(text)).Append(reader.Value);
                    }

                    break;
                case XmlNodeType.Element:
                    throw SoapFaultException.Client($"Parameter {name} must be a simple value.");
            }

            reader.Read();
        }

        reader.Read();
        return builder?.ToString() ?? text ?? string.Empty;
    }

    /// <summary>
    /// Moves to the next element among the current siblings; false when their parent's end tag is reached.
    /// Text between elements is ignored.
    /// </summary>
    private static bool NextElement(XmlReader reader)
    {
        while (true)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    return true;
                case XmlNodeType.EndElement:
                    return false;
            }

            if (!reader.Read())
            {
                return false;
            }
        }
    }

    /// <summary>Skips the current element and everything inside it, refusing to descend past the depth cap.</summary>
    private static void Skip(XmlReader reader, int maxDepth)
    {
        if (reader.NodeType != XmlNodeType.Element || reader.IsEmptyElement)
        {
            reader.Read();
            return;
        }

        var depth = reader.Depth;
        while (reader.Read())
        {
            if (reader.Depth > maxDepth)
            {
                throw new SoapFaultException(SoapFaultCode.Client, $"The request nests elements deeper than {maxDepth} levels.", StatusCodes.Status400BadRequest);
            }

            if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
            {
                reader.Read();
                return;
            }
        }
    }

    private static bool IsEnvelopeElement(XmlReader reader, string envelopeNs, string localName) =>
        string.Equals(reader.LocalName, localName, StringComparison.Ordinal)
        && string.Equals(reader.NamespaceURI, envelopeNs, StringComparison.Ordinal);

    private static bool IsForUltimateReceiver(SoapVersion version, string? target) =>
        string.IsNullOrEmpty(target)
        || (version == SoapVersion.Soap11
            ? target == XmlNamespaces.Soap11ActorNext
            : target is XmlNamespaces.Soap12RoleNext or XmlNamespaces.Soap12RoleUltimateReceiver);

    private static bool IsTrue(string? value) => value?.Trim() is "1" or "true";

    private static int IndexOf(IReadOnlyList<SoapParameter> fields, string name)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (string.Equals(fields[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private sealed record HeaderBlock(XmlQualifiedName Name, bool MustUnderstand, SoapHeader? Header, string?[]? Values);
}
