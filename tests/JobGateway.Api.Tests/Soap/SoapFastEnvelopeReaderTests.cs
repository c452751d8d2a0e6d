using System.Text;
using System.Xml;
using JobGateway.Soap.DiscountAsp;
using JobGateway.Soap.Engine;
using JobGateway.Soap.MagnetMail;
using JobGateway.Soap.T2A;

namespace JobGateway.Api.Tests.Soap;

/// <summary>
/// The envelope reader's fast lane against the XmlReader one: what it accepts, it reads exactly as the XmlReader
/// lane does; everything unusual, malformed or faulty it leaves to that lane.
/// </summary>
public sealed class SoapFastEnvelopeReaderTests
{
    private const string S11 = "http://schemas.xmlsoap.org/soap/envelope/";
    private const string S12 = "http://www.w3.org/2003/05/soap-envelope";
    private const string T2A = "https://api.t2a.io/soap";
    private const string Dasp = "http://api.discountasp.net/";
    private const string Mm = "http://www.magnetmail.net/";

    /// <summary>Envelopes as real clients and the benchmark send them.</summary>
    public static TheoryData<string, string> Accepted => new()
    {
        // The benchmark's and the vendor pages' shape.
        { "t2a", $"""<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"><api_key>k-1</api_key><client>acme</client></job_create></soap:Body></soap:Envelope>""" },
        // zeep: prefixed elements, single-quoted declaration.
        { "t2a", $"""<?xml version='1.0' encoding='utf-8'?>{"\n"}<soap-env:Envelope xmlns:soap-env="{S11}"><soap-env:Body><ns0:job_create xmlns:ns0="{T2A}"><ns0:api_key>k</ns0:api_key><ns0:client>c d</ns0:client></ns0:job_create></soap-env:Body></soap-env:Envelope>""" },
        // PHP SoapClient: upper-case encoding, a line break, prefixes declared on the Envelope.
        { "t2a", $"""<?xml version="1.0" encoding="UTF-8"?>{"\n"}<SOAP-ENV:Envelope xmlns:SOAP-ENV="{S11}" xmlns:ns1="{T2A}"><SOAP-ENV:Body><ns1:job_create><ns1:api_key>k</ns1:api_key><ns1:client></ns1:client></ns1:job_create></SOAP-ENV:Body></SOAP-ENV:Envelope>{"\n"}""" },
        // SOAP 1.2, no declaration, whitespace everywhere it may be, parameters in another order, an empty one.
        { "dasp", $"""<env:Envelope xmlns:env="{S12}">{"\n  "}<env:Body >{"\n    "}<GetJobStatus xmlns="{Dasp}">{"\n      "}<jobId>0193a0c4-0000-7000-8000-000000000001</jobId>{"\t"}<key/>{"\n    "}</GetJobStatus >{"\n  "}</env:Body>{"\n"}</env:Envelope >""" },
        // Padding kept as sent; a default namespace undeclared and declared again below.
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}" xmlns=""><soap:Body><job_create xmlns="{T2A}"><client>  a b  </client></job_create></soap:Body></soap:Envelope>""" },
        // The MagnetMail header, read; an empty Header.
        { "mm", $"""<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{S11}"><soap:Header><mmAuthHeader xmlns="{Mm}"><sessionId>key-1</sessionId><user_id>u</user_id></mmAuthHeader></soap:Header><soap:Body><getUploadJobStatus xmlns="{Mm}"><user_id>u</user_id><jobid>42</jobid></getUploadJobStatus></soap:Body></soap:Envelope>""" },
        { "mm", $"""<soap12:Envelope xmlns:soap12="{S12}"><soap12:Header/><soap12:Body><getUploadJobStatus xmlns="{Mm}"><user_id>u</user_id><jobid>7</jobid></getUploadJobStatus></soap12:Body></soap12:Envelope>""" },
        { "t2a", $"""<?xml version="1.0" standalone="yes"?><soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"/></soap:Body></soap:Envelope>""" },
    };

    /// <summary>Envelopes the fast lane leaves to the XmlReader: well-formed but unusual, faulty, or malformed.</summary>
    public static TheoryData<string, string> Refused => new()
    {
        // Escapes, CDATA, comments, processing instructions, carriage returns, non-ASCII text, a byte-order mark.
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"><client>a &amp; b</client></job_create></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"><client><![CDATA[x]]></client></job_create></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><!-- hi --><soap:Body><job_create xmlns="{T2A}"><client>x</client></job_create></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<?xml-stylesheet href="a"?><soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"/></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"><client>a{"\r\n"}b</client></job_create></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"><client>café</client></job_create></soap:Body></soap:Envelope>""" },
        { "t2a", $"""{"\uFEFF"}<soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"/></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"><client>a]]>b</client></job_create></soap:Body></soap:Envelope>""" },
        // Attributes other than namespace declarations: nil, mustUnderstand, actors, types, encoding styles.
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body><job_create xmlns="{T2A}"><client xsi:nil="true"/></job_create></soap:Body></soap:Envelope>""" },
        { "mm", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Header><mmAuthHeader xmlns="{Mm}" soap:mustUnderstand="1"><sessionId>k</sessionId></mmAuthHeader></soap:Header><soap:Body><getUploadJobStatus xmlns="{Mm}"><user_id>u</user_id><jobid>1</jobid></getUploadJobStatus></soap:Body></soap:Envelope>""" },
        { "mm", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Header><other xmlns="urn:x">1</other></soap:Header><soap:Body><getUploadJobStatus xmlns="{Mm}"><user_id>u</user_id><jobid>1</jobid></getUploadJobStatus></soap:Body></soap:Envelope>""" },
        // Faults: repeated, nested or unknown parameters, an unknown operation, another version's envelope, DTDs.
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"><client>a</client><client>b</client></job_create></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"><client><x/></client></job_create></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"><extra>1</extra></job_create></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body><job_delete xmlns="{T2A}"/></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="urn:not-soap"><soap:Body><job_create xmlns="{T2A}"/></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<!DOCTYPE x [<!ENTITY a "b">]><soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"/></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"/><more/></soap:Body></soap:Envelope>""" },
        // Malformed: mismatched or missing end tags, undeclared prefixes, duplicate declarations, junk after the end.
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"><client>a</Client></job_create></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"><client>a</client></job_create></soap:Body>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body><x:job_create><client>a</client></x:job_create></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}" xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"/></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"/></soap:Body></soap:Envelope><x/>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"xmlns:a="b"><soap:Body><job_create xmlns="{T2A}"/></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<?xml version="1.1"?><soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"/></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<?xml version="1.0" encoding="utf-16"?><soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"/></soap:Body></soap:Envelope>""" },
        { "t2a", $""" <?xml version="1.0"?><soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"/></soap:Body></soap:Envelope>""" },
        { "t2a", $"""<soap:Envelope xmlns:soap="{S11}"><soap:Body><job_create xmlns="{T2A}"><client>a<b</client></job_create></soap:Body></soap:Envelope>""" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void PlainEnvelopes_AreReadOnTheFastLane_AsTheXmlReaderReadsThem(string service, string envelope)
    {
        var table = Table(service);
        var fast = SoapFastEnvelopeReader.TryRead(Encoding.UTF8.GetBytes(envelope), table);

        Assert.NotNull(fast);
        var (version, operation, arguments) = ReadSlowly(envelope, table);
        Assert.Equal(version, fast.Version);
        Assert.Same(operation, fast.Operation);
        Assert.Equal(arguments.RawValues, fast.Values);
        foreach (var header in operation.Headers)
        {
            var fastHeader = fast.Headers?.Find(h => ReferenceEquals(h.Header, header)).Values;
            Assert.Equal(arguments.Header(header)?.RawValues, fastHeader);
        }
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void EverythingElse_IsLeftToTheXmlReader(string service, string envelope)
    {
        Assert.Null(SoapFastEnvelopeReader.TryRead(Encoding.UTF8.GetBytes(envelope), Table(service)));
    }

    [Fact]
    public void AnyCutOfAPlainEnvelope_IsLeftToTheXmlReader()
    {
        var envelope = Encoding.UTF8.GetBytes((string)Accepted.First()[1]);
        var table = Table("t2a");

        for (var length = 0; length < envelope.Length; length++)
        {
            Assert.Null(SoapFastEnvelopeReader.TryRead(envelope.AsSpan(0, length), table));
        }
    }

    private static SoapDispatchTable Table(string service) => new(service switch
    {
        "t2a" => T2AService.Description,
        "dasp" => CustomerApiService.Description,
        _ => MagnetMailService.Description,
    });

    private static (SoapVersion, SoapOperation, SoapArguments) ReadSlowly(string envelope, SoapDispatchTable table)
    {
        using var reader = XmlReader.Create(new MemoryStream(Encoding.UTF8.GetBytes(envelope)), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true, IgnoreProcessingInstructions = true });
        var version = SoapEnvelopeReader.ReadVersion(reader);
        var (operation, arguments) = SoapEnvelopeReader.ReadEnvelope(reader, version, selected: null, table, maxDepth: 32);
        return (version, operation, arguments);
    }
}
