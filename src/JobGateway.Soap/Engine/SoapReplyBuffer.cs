using System.Buffers;
using System.Text;

namespace JobGateway.Soap.Engine;

/// <summary>
/// The fast lane of the reply writer: UTF-8 straight into a pooled buffer, for the part of XML a reply's members
/// need (unprefixed elements in the namespace already in scope, text, <c>xsi:nil</c>). It writes exactly the bytes
/// <see cref="System.Xml.XmlWriter"/> would, or refuses: text with anything but printable ASCII other than
/// <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> makes <see cref="TryElement"/> return false, and the caller then writes the
/// whole reply with the XmlWriter, which escapes, normalises line breaks and rejects invalid characters.
/// </summary>
internal sealed class SoapReplyBuffer : IDisposable
{
    private byte[] _buffer;
    private int _length;

    // A start tag whose '>' is not written yet: XmlWriter closes an element with no content as "<a />".
    private bool _startOpen;

    public SoapReplyBuffer(int capacity = 1024)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    }

    public int Length => _length;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Take(bytes.Length));
    }

    public void StartElement(string name)
    {
        CloseStart();
        Take(1)[0] = (byte)'<';
        Name(name);
        _startOpen = true;
    }

    public void EndElement(string name)
    {
        if (_startOpen)
        {
            Raw(" />"u8);
            _startOpen = false;
            return;
        }

        Raw("</"u8);
        Name(name);
        Take(1)[0] = (byte)'>';
    }

    /// <summary>Element text, when it needs no escaping: false (and nothing written) otherwise.</summary>
    /// <summary>A whole element given as its bytes (an empty or nil one), after the open start tag is closed.</summary>
    public void Element(ReadOnlySpan<byte> element)
    {
        CloseStart();
        Raw(element);
    }

    /// <summary>
    /// <paramref name="open"/>, <paramref name="text"/>, <paramref name="close"/>; false, writing nothing, when the
    /// text needs more than printable ASCII without markup (the XmlWriter then escapes and encodes it).
    /// </summary>
    public bool TryElement(ReadOnlySpan<byte> open, string text, ReadOnlySpan<byte> close)
    {
        if (text.AsSpan().ContainsAnyExcept(PlainText))
        {
            return false;
        }

        CloseStart();
        var span = Take(open.Length + text.Length + close.Length);
        open.CopyTo(span);
        Encoding.ASCII.GetBytes(text, span[open.Length..]);
        close.CopyTo(span[(open.Length + text.Length)..]);
        return true;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Printable ASCII but the three characters XmlWriter escapes in text.
    private static readonly SearchValues<char> PlainText = SearchValues.Create(
        " !\"#$%'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private void CloseStart()
    {
        if (_startOpen)
        {
            Take(1)[0] = (byte)'>';
            _startOpen = false;
        }
    }

    private void Name(string name)
    {
        var span = Take(Encoding.UTF8.GetMaxByteCount(name.Length));
        var written = Encoding.UTF8.GetBytes(name, span);
        _length -= span.Length - written;
    }

    private Span<byte> Take(int count)
    {
        if (_length + count > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
