using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Xml;

namespace JobGateway.Core;

/// <summary>
/// Text for an XML answer. A job's text may have come in as JSON (a name over the native API, a worker's error
/// message), which can hold characters XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE); the
/// SOAP and 2sms XML answers write each as U+FFFD, so that every surface can answer for every job.
/// </summary>
public static class XmlSafeText
{
    /// <summary><paramref name="value"/> with every character XML cannot carry replaced by U+FFFD (itself when there is none).</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Of(string? value)
    {
        if (value is null)
        {
            return null;
        }

        StringBuilder? text = null;
        var i = 0;
        while (i < value.Length)
        {
            var length = i + 1 < value.Length && XmlConvert.IsXmlSurrogatePair(value[i + 1], value[i]) ? 2 : XmlConvert.IsXmlChar(value[i]) ? 1 : 0;
            if (length == 0)
            {
                text ??= new StringBuilder(value, 0, i, value.Length);
                text.Append('\uFFFD');
                i++;
            }
            else
            {
                text?.Append(value, i, length);
                i += length;
            }
        }

        return text?.ToString() ?? value;
    }
}
