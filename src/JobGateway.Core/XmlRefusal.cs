using System.Xml;

namespace JobGateway.Core;

/// <summary>
/// Why an XML body was refused, in one sentence for the client: a DTD (which the gateway never processes), or where
/// the XML stops being well-formed. The reader's own message is not passed on: for a DTD it tells how to turn DTD
/// processing on in .NET.
/// </summary>
public static class XmlRefusal
{
    /// <summary>The sentence for <paramref name="exception"/>, raised reading <paramref name="body"/>; <paramref name="subject"/> names the body ("The request").</summary>
    public static string Describe(XmlException exception, ReadOnlySpan<byte> body, string subject)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return body.IndexOf("<!DOCTYPE"u8) >= 0
            ? $"{subject} contains a DTD; DTDs are not allowed."
            : exception.LineNumber > 0
                ? $"{subject} is not well-formed XML (line {exception.LineNumber}, position {exception.LinePosition})."
                : $"{subject} is not well-formed XML.";
    }
}
