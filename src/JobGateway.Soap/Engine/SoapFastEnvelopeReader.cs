using System.Buffers;
using System.Text;

namespace JobGateway.Soap.Engine;

/// <summary>What the fast lane read from an envelope.</summary>
/// <param name="Version">The SOAP version the Envelope's namespace declares.</param>
/// <param name="Operation">The operation whose request element the Body holds.</param>
/// <param name="Values">Its parameters' values, by position.</param>
/// <param name="Headers">The header blocks read, with their fields' values; null when there were none.</param>
internal sealed record FastEnvelope(
    SoapVersion Version, SoapOperation Operation, string?[] Values, List<(SoapHeader Header, string?[] Values)>? Headers);

/// <summary>
/// The fast lane of envelope reading: one pass over the UTF-8 bytes for the plain envelopes clients actually send,
/// without creating an <see cref="System.Xml.XmlReader"/>. It accepts only a strict subset of XML: printable ASCII,
/// an optional UTF-8 XML declaration, elements with namespace declarations as their only attributes, and parameter
/// text with no references, CDATA or carriage returns; the Envelope holds an optional Header of known blocks and a
/// Body with exactly one operation element of simple, known, unrepeated parameters. On anything else, including
/// everything that would be a fault or malformed, it returns null and the caller reads the body with
/// <see cref="SoapEnvelopeReader"/>, which decides. So on what it accepts it agrees with that reader, and it never
/// faults itself.
/// </summary>
internal static class SoapFastEnvelopeReader
{
    private const int MaxDeclarations = 16;

    // Printable ASCII and the three whitespace controls: anything else is the XmlReader's to decode or refuse.
    private static readonly SearchValues<byte> PlainBytes = SearchValues.Create(
        [(byte)'\t', (byte)'\n', (byte)'\r', .. Enumerable.Range(0x20, 0x7F - 0x20).Select(b => (byte)b)]);

    private static readonly byte[] Soap11Namespace = Encoding.ASCII.GetBytes(XmlNamespaces.Soap11Envelope);
    private static readonly byte[] Soap12Namespace = Encoding.ASCII.GetBytes(XmlNamespaces.Soap12Envelope);

    public static FastEnvelope? TryRead(ReadOnlySpan<byte> xml, SoapDispatchTable table)
    {
        if (xml.IndexOfAnyExcept(PlainBytes) >= 0)
        {
            return null;
        }

        Span<Declaration> declarations = stackalloc Declaration[MaxDeclarations];
        var scanner = new Scanner(xml, declarations, Encoding.ASCII.GetBytes(table.Service.Namespace));
        try
        {
            return scanner.ReadDocument(table);
        }
        catch (NotFastException)
        {
            return null;
        }
    }

    /// <summary>A namespace declaration in scope: prefix and URI as ranges of the input, and the element depth that made it.</summary>
    private struct Declaration
    {
        public int Depth;
        public int PrefixStart;
        public int PrefixLength;
        public int UriStart;
        public int UriLength;
    }

    /// <summary>Thrown inside the scanner to leave the fast lane; never escapes <see cref="TryRead"/>.</summary>
    /// <remarks>A new instance per throw: the runtime writes a thrown exception's stack into it, so one instance shared between threads would be written concurrently.</remarks>
    private sealed class NotFastException : Exception;

    /// <summary>An element's start tag as read: its qualified name (a range of the input) and namespace.</summary>
    private readonly ref struct StartTag(int nameStart, int nameLength, ReadOnlySpan<byte> local, ReadOnlySpan<byte> ns, bool isEmpty)
    {
        public int NameStart { get; } = nameStart;

        public int NameLength { get; } = nameLength;

        public ReadOnlySpan<byte> Local { get; } = local;

        public ReadOnlySpan<byte> Namespace { get; } = ns;

        public bool IsEmpty { get; } = isEmpty;
    }

    private ref struct Scanner(ReadOnlySpan<byte> xml, Span<Declaration> declarations, byte[] serviceNamespace)
    {
        private readonly ReadOnlySpan<byte> _xml = xml;
        private readonly Span<Declaration> _declarations = declarations;
        private readonly ReadOnlySpan<byte> _serviceNamespace = serviceNamespace;
        private int _pos;
        private int _declared;
        private int _depth;

        public FastEnvelope ReadDocument(SoapDispatchTable table)
        {
            ReadDeclaration();
            SkipWhitespace();
            var envelope = ReadStartTag();
            SoapVersion version;
            if (!envelope.Local.SequenceEqual("Envelope"u8) || envelope.IsEmpty)
            {
                throw new NotFastException();
            }

            if (envelope.Namespace.SequenceEqual(Soap11Namespace))
            {
                version = SoapVersion.Soap11;
            }
            else if (envelope.Namespace.SequenceEqual(Soap12Namespace))
            {
                version = SoapVersion.Soap12;
            }
            else
            {
                throw new NotFastException();
            }

            var envelopeNs = version == SoapVersion.Soap11 ? Soap11Namespace : Soap12Namespace;
            List<(SoapHeader, string?[])>? headers = null;
            SkipWhitespace();
            var tag = ReadStartTag();
            if (tag.Local.SequenceEqual("Header"u8) && tag.Namespace.SequenceEqual(envelopeNs))
            {
                headers = ReadHeaders(tag, table);
                SkipWhitespace();
                tag = ReadStartTag();
            }

            if (!tag.Local.SequenceEqual("Body"u8) || !tag.Namespace.SequenceEqual(envelopeNs) || tag.IsEmpty)
            {
                throw new NotFastException();
            }

            var body = tag;
            SkipWhitespace();
            var request = ReadStartTag();
            var operation = request.Namespace.SequenceEqual(_serviceNamespace) ? table.ByName(Encoding.ASCII.GetString(request.Local)) : null;
            if (operation is null)
            {
                throw new NotFastException();
            }

            var values = ReadValues(request, operation.Parameters);
            SkipWhitespace();
            ReadEndTag(body);
            SkipWhitespace();
            ReadEndTag(envelope);
            SkipWhitespace();
            if (_pos != _xml.Length)
            {
                throw new NotFastException();
            }

            return new FastEnvelope(version, operation, values, headers);
        }

        private List<(SoapHeader, string?[])>? ReadHeaders(StartTag header, SoapDispatchTable table)
        {
            if (header.IsEmpty)
            {
                PopDeclarations();
                return null;
            }

            List<(SoapHeader, string?[])>? blocks = null;
            while (true)
            {
                SkipWhitespace();
                if (At("</"u8))
                {
                    ReadEndTag(header);
                    return blocks;
                }

                var block = ReadStartTag();
                var known = block.Namespace.SequenceEqual(_serviceNamespace) ? table.HeaderByElement(Encoding.ASCII.GetString(block.Local), table.Service.Namespace) : null;
                if (known is null || (blocks?.Exists(b => ReferenceEquals(b.Item1, known)) ?? false))
                {
                    throw new NotFastException();
                }

                (blocks ??= []).Add((known, ReadValues(block, known.Fields)));
            }
        }

        /// <summary>The simple children of <paramref name="parent"/>, each a declared field at most once, then its end tag.</summary>
        private string?[] ReadValues(StartTag parent, IReadOnlyList<SoapParameter> fields)
        {
            var values = new string?[fields.Count];
            if (parent.IsEmpty)
            {
                PopDeclarations();
                return values;
            }

            while (true)
            {
                SkipWhitespace();
                if (At("</"u8))
                {
                    ReadEndTag(parent);
                    return values;
                }

                var child = ReadStartTag();
                var index = child.Namespace.SequenceEqual(_serviceNamespace) ? IndexOf(fields, child.Local) : -1;
                if (index < 0 || values[index] is not null)
                {
                    throw new NotFastException();
                }

                if (child.IsEmpty)
                {
                    PopDeclarations();
                    values[index] = string.Empty;
                    continue;
                }

                var start = _pos;
                var end = _xml[start..].IndexOfAny((byte)'<', (byte)'&', (byte)'\r');
                if (end < 0 || _xml[start + end] != '<' || _xml.Slice(start, end).Contains((byte)'>'))
                {
                    // A reference, a carriage return (which XML normalises) or a '>' (which may close "]]>") is the XmlReader's.
                    throw new NotFastException();
                }

                _pos = start + end;
                values[index] = Encoding.ASCII.GetString(_xml.Slice(start, end));
                ReadEndTag(child);
            }
        }

        private static int IndexOf(IReadOnlyList<SoapParameter> fields, ReadOnlySpan<byte> name)
        {
            for (var i = 0; i < fields.Count; i++)
            {
                if (Ascii.Equals(name, fields[i].Name))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>An optional <c>&lt;?xml version="1.0" encoding="utf-8"?&gt;</c>; anything else in it leaves the fast lane.</summary>
        private void ReadDeclaration()
        {
            if (!At("<?xml"u8))
            {
                return;
            }

            _pos += 5;
            var seenVersion = false;
            var seenEncoding = false;
            var seenStandalone = false;
            while (true)
            {
                var hadSpace = SkipWhitespace();
                if (At("?>"u8))
                {
                    _pos += 2;
                    if (!seenVersion)
                    {
                        throw new NotFastException();
                    }

                    return;
                }

                if (!hadSpace)
                {
                    throw new NotFastException();
                }

                var name = ReadPseudoAttributeName();
                var value = ReadQuoted();
                if (!seenVersion && !seenEncoding && !seenStandalone && name.SequenceEqual("version"u8) && value.SequenceEqual("1.0"u8))
                {
                    seenVersion = true;
                }
                else if (seenVersion && !seenEncoding && !seenStandalone && name.SequenceEqual("encoding"u8) && Ascii.EqualsIgnoreCase(value, "utf-8"u8))
                {
                    seenEncoding = true;
                }
                else if (seenVersion && !seenStandalone && name.SequenceEqual("standalone"u8) && (value.SequenceEqual("yes"u8) || value.SequenceEqual("no"u8)))
                {
                    seenStandalone = true;
                }
                else
                {
                    throw new NotFastException();
                }
            }
        }

        /// <summary>A declaration's pseudo-attribute name and its '=' (the quoted value follows).</summary>
        private ReadOnlySpan<byte> ReadPseudoAttributeName()
        {
            var nameStart = _pos;
            while (_pos < _xml.Length && _xml[_pos] is >= (byte)'a' and <= (byte)'z')
            {
                _pos++;
            }

            var name = _xml[nameStart.._pos];
            SkipWhitespace();
            Expect((byte)'=');
            SkipWhitespace();
            return name;
        }

        /// <summary>
        /// A start tag: its namespace declarations join the scope (popped by its end tag, or at once when empty
        /// by the caller), any other attribute leaves the fast lane.
        /// </summary>
        private StartTag ReadStartTag()
        {
            Expect((byte)'<');
            var nameStart = _pos;
            var colon = ReadQName();
            var nameLength = _pos - nameStart;
            _depth++;
            var firstOwn = _declared;
            while (true)
            {
                var hadSpace = SkipWhitespace();
                if (_pos >= _xml.Length)
                {
                    throw new NotFastException();
                }

                var isEmpty = false;
                if (_xml[_pos] == '/')
                {
                    _pos++;
                    isEmpty = true;
                }

                if (_pos < _xml.Length && _xml[_pos] == '>')
                {
                    _pos++;
                    var name = _xml.Slice(nameStart, nameLength);
                    var prefix = colon < 0 ? [] : name[..colon];
                    if (prefix.SequenceEqual("xml"u8) || prefix.SequenceEqual("xmlns"u8))
                    {
                        throw new NotFastException();
                    }

                    return new StartTag(nameStart, nameLength, colon < 0 ? name : name[(colon + 1)..], Resolve(prefix), isEmpty);
                }

                if (isEmpty || !hadSpace)
                {
                    throw new NotFastException();
                }

                var attributeStart = _pos;
                var attributeColon = ReadQName();
                var attribute = _xml[attributeStart.._pos];
                SkipWhitespace();
                Expect((byte)'=');
                SkipWhitespace();
                var valueStart = _pos + 1;
                var value = ReadQuoted();
                int declaredPrefixStart, declaredPrefixLength;
                if (attributeColon < 0 && attribute.SequenceEqual("xmlns"u8))
                {
                    declaredPrefixStart = attributeStart;
                    declaredPrefixLength = 0;
                }
                else if (attributeColon == 5 && attribute[..5].SequenceEqual("xmlns"u8))
                {
                    declaredPrefixStart = attributeStart + 6;
                    declaredPrefixLength = attribute.Length - 6;
                    var declaredPrefix = attribute[6..];
                    if (value.Length == 0 || declaredPrefix.SequenceEqual("xml"u8) || declaredPrefix.SequenceEqual("xmlns"u8))
                    {
                        throw new NotFastException();
                    }
                }
                else
                {
                    throw new NotFastException();
                }

                for (var i = firstOwn; i < _declared; i++)
                {
                    if (_xml.Slice(_declarations[i].PrefixStart, _declarations[i].PrefixLength).SequenceEqual(_xml.Slice(declaredPrefixStart, declaredPrefixLength)))
                    {
                        throw new NotFastException();
                    }
                }

                if (_declared == _declarations.Length)
                {
                    throw new NotFastException();
                }

                _declarations[_declared++] = new Declaration
                {
                    Depth = _depth,
                    PrefixStart = declaredPrefixStart,
                    PrefixLength = declaredPrefixLength,
                    UriStart = valueStart,
                    UriLength = value.Length,
                };
            }
        }

        /// <summary>The end tag of <paramref name="start"/>: the same qualified name, optional whitespace, '&gt;'.</summary>
        private void ReadEndTag(StartTag start)
        {
            if (!At("</"u8))
            {
                throw new NotFastException();
            }

            _pos += 2;
            if (_xml.Length - _pos < start.NameLength || !_xml.Slice(_pos, start.NameLength).SequenceEqual(_xml.Slice(start.NameStart, start.NameLength)))
            {
                throw new NotFastException();
            }

            _pos += start.NameLength;
            SkipWhitespace();
            Expect((byte)'>');
            PopDeclarations();
        }

        /// <summary>Leaves the current element: its declarations go out of scope.</summary>
        private void PopDeclarations()
        {
            while (_declared > 0 && _declarations[_declared - 1].Depth == _depth)
            {
                _declared--;
            }

            _depth--;
        }

        private ReadOnlySpan<byte> Resolve(ReadOnlySpan<byte> prefix)
        {
            for (var i = _declared - 1; i >= 0; i--)
            {
                var declaration = _declarations[i];
                if (_xml.Slice(declaration.PrefixStart, declaration.PrefixLength).SequenceEqual(prefix))
                {
                    return _xml.Slice(declaration.UriStart, declaration.UriLength);
                }
            }

            // No default namespace declared means none; an undeclared prefix is an error, the XmlReader's to report.
            return prefix.IsEmpty ? [] : throw new NotFastException();
        }

        /// <summary>A name of ASCII letters, digits, '_', '-' and '.', with at most one ':' inside; the colon's offset or -1.</summary>
        private int ReadQName()
        {
            var start = _pos;
            var colon = -1;
            while (_pos < _xml.Length)
            {
                var b = _xml[_pos];
                if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_'
                    || (_pos > start && _pos - 1 != start + colon && b is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.'))
                {
                    _pos++;
                }
                else if (b == ':' && colon < 0 && _pos > start)
                {
                    colon = _pos - start;
                    _pos++;
                }
                else
                {
                    break;
                }
            }

            if (_pos == start || colon == _pos - start - 1)
            {
                throw new NotFastException();
            }

            return colon;
        }

        /// <summary>A quoted attribute value with nothing XML would change or refuse: no '&lt;', '&amp;' or line break.</summary>
        private ReadOnlySpan<byte> ReadQuoted()
        {
            if (_pos >= _xml.Length || _xml[_pos] is not ((byte)'"' or (byte)'\''))
            {
                throw new NotFastException();
            }

            var quote = _xml[_pos++];
            var length = _xml[_pos..].IndexOf(quote);
            if (length < 0)
            {
                throw new NotFastException();
            }

            var value = _xml.Slice(_pos, length);
            if (value.IndexOfAny("<&\t\n\r"u8) >= 0)
            {
                throw new NotFastException();
            }

            _pos += length + 1;
            return value;
        }

        private bool SkipWhitespace()
        {
            var start = _pos;
            while (_pos < _xml.Length && _xml[_pos] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                _pos++;
            }

            return _pos > start;
        }

        private readonly bool At(ReadOnlySpan<byte> text) => _xml[_pos..].StartsWith(text);

        private void Expect(byte b)
        {
            if (_pos >= _xml.Length || _xml[_pos] != b)
            {
                throw new NotFastException();
            }

            _pos++;
        }
    }
}
