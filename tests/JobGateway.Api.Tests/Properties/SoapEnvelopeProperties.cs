using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Soap;

namespace JobGateway.Api.Tests.Properties;

/// <summary>Which valid envelope a SOAP case starts from, and how its text is encoded on the wire.</summary>
public sealed record SoapVariant(string Service, string Version, string Encoding)
{
    public override string ToString() => $"{Service} SOAP {Version} ({Encoding})";
}

/// <summary>A job's text for <see cref="SoapEnvelopeProperties.StoredJob_WithAnyText_IsAnsweredByTheStatusServices"/>, and whether the job failed with it as its error.</summary>
public sealed record StoredJobCase(string Text, bool Failed)
{
    public override string ToString() => $"{Generated.Literal(Text)}{(Failed ? ", failed with it" : string.Empty)}";
}

/// <summary>
/// The three ASMX services with generated envelopes: a valid SOAP 1.1 or 1.2 request of each service, then cut short,
/// its elements reordered, doubled, removed or given other values (huge ones too), its namespaces changed, headers
/// added (mustUnderstand, actor/role), declared or sent in other encodings, with assorted content types and
/// SOAPAction headers. Each case runs for a new tenant (with one job for the status services to find) and counts
/// the tenant's jobs in the store.
/// </summary>
public sealed partial class SoapEnvelopeProperties(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private const string Soap11Media = "text/xml";
    private const string Soap12Media = "application/soap+xml";

    private static readonly Dictionary<string, (string Path, string Namespace, string Operation, string[] Parameters)> Services = new()
    {
        ["T2A"] = (SoapHttp.T2APath, "https://api.t2a.io/soap", "job_create", ["api_key", "client"]),
        ["CustomerApi"] = (SoapHttp.CustomerApiPath, "http://api.discountasp.net/", "GetJobStatus", ["key", "jobId"]),
        ["MagnetMail"] = (SoapHttp.MagnetMailPath, "http://www.magnetmail.net/", "getUploadJobStatus", ["user_id", "jobid", "sessionId"]),
    };

    private static readonly Arbitrary<Mutated<SoapVariant>> Cases = Generated.Arbitrary(
        from service in Gen.Elements(Services.Keys.ToArray())
        from version in Gen.Elements("1.1", "1.2")
        from encoding in Generated.BodyEncoding
        from edits in Generated.Edits(Gen.Frequency((4, ParameterEdit(service)), (4, EnvelopeEdit), (1, XmlBodies.DocumentEdit)), 3)
        from textEdits in Gen.Frequency((5, Gen.Constant<IReadOnlyList<Edit>>([])), (1, Generated.Edits(Generated.TextEdit, 2)))
        from headers in Gen.Frequency((3, Gen.Constant(ValidHeaders(service, version))), (2, Headers(service, version)))
        select new Mutated<SoapVariant>(new SoapVariant(service, version, encoding), [.. edits, .. textEdits], headers));

    private static Gen<Edit> EnvelopeEdit => Gen.OneOf(
        from ns in Gen.Elements(Envelopes.Soap11Ns, Envelopes.Soap12Ns, "urn:not-soap", "http://schemas.xmlsoap.org/soap/envelope", "")
        select new Edit($"envelope namespace '{ns}'", t => EnvelopeNamespace().Replace(t, $"xmlns:soap=\"{ns}\"", 1)),
        from ns in Gen.Elements("urn:other", "", "http://api.discountasp.net", "https://api.t2a.io/soap/")
        select new Edit($"operation namespace '{ns}'", t => OperationNamespace().Replace(t, $"xmlns=\"{ns}\"", 1)),
        Gen.Constant(new Edit("swap the first two parameters", SwapParameters)),
        Gen.Constant(new Edit("move the Header after the Body", t => HeaderAfterBody().Replace(t, "${body}${header}", 1))),
        Gen.Constant(new Edit("remove the Header", t => XmlBodies.Element(t, "Header", _ => string.Empty))),
        Gen.Constant(new Edit("double the Header's first block", t => Regex.Replace(t, "<soap:Header>(<[^>]+>.*?</mmAuthHeader>)", "<soap:Header>$1$1"))),
        Gen.Constant(new Edit("empty the Body", t => XmlBodies.Content(t, "Body", _ => string.Empty))),
        Gen.Constant(new Edit("put another element before the operation", t => t.Replace("<soap:Body>", "<soap:Body><other xmlns=\"urn:x\"/>", StringComparison.Ordinal))),
        Gen.Constant(new Edit("use the prefix s instead of soap", t => t.Replace("soap:", "s:", StringComparison.Ordinal).Replace("xmlns:soap=", "xmlns:s=", StringComparison.Ordinal))),
        from understand in Gen.Elements<string?>("1", "true", "0", "false", "yes", null)
        from target in Gen.Elements<string?>(null, "next", "ultimateReceiver", "urn:someone-else")
        select new Edit($"add a header block, mustUnderstand={understand ?? "(none)"}, actor/role={target ?? "(none)"}", t => AddHeaderBlock(t, understand, target)),
        from understand in Gen.Elements("1", "true", "0")
        select new Edit($"mark mmAuthHeader mustUnderstand={understand}", t => t.Replace("<mmAuthHeader ", $"<mmAuthHeader soap:mustUnderstand=\"{understand}\" ", StringComparison.Ordinal)));

    /// <summary>
    /// Every envelope is answered with the operation's response (200; a T2A job stored), a SOAP fault of the envelope's
    /// version that blames the request (400, 413 or 500 with Client/Sender, VersionMismatch or MustUnderstand) or an
    /// empty 415 for a media type that is not SOAP's; never a Server/Receiver fault, an exception's text or a stored
    /// job on a fault. The valid envelopes themselves succeed.
    /// </summary>
    [Property(MaxTest = 1000, QuietOnSuccess = false)]
    public Property Envelope_IsAnsweredOrFaultedInItsVersion() =>
        Prop.ForAll(Cases, c => Generated.Run(() => CheckAsync(c)));

    /// <summary>
    /// Any job the native API stores, whatever its name (and, failed, whatever its error message), is answered by both
    /// status services in both SOAP versions: what JSON can carry and XML cannot must not break the SOAP answer.
    /// </summary>
    [Property(MaxTest = 150, QuietOnSuccess = false)]
    public Property StoredJob_WithAnyText_IsAnsweredByTheStatusServices() =>
        Prop.ForAll(StoredJobs, c => Generated.Run(() => CheckStoredJobAsync(c)));

    private static readonly Arbitrary<StoredJobCase> StoredJobs = Arb.From(
        from text in Generated.HostileText
        from failed in Gen.Elements(false, true)
        select new StoredJobCase(text, failed),
        c => ArbMap.Default.ArbFor<string>().Shrinker(c.Text).Select(t => c with { Text = t }));

    private async Task CheckStoredJobAsync(StoredJobCase c)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var api = gateway.CreateClient(tenant.ApiKey);
        using var body = new StringContent(JsonBodies.Render([("type", "\"upload\""), ("name", JsonBodies.Quote(c.Text))]), System.Text.Encoding.UTF8, "application/json");
        using var created = await api.PostAsync(new Uri("/api/jobs", UriKind.Relative), body);

        // Only what the API accepts is stored (not a name over 1,024 characters, nor a NUL character).
        if (created.StatusCode != HttpStatusCode.Accepted)
        {
            return;
        }

        var job = (await TestJobs.ListAsync(gateway, tenant.ClientId)).Single();
        if (c.Failed)
        {
            job = await TestJobs.FailAsync(gateway, job, new Core.Jobs.JobError("worker_error", c.Text, c.Text));
        }

        foreach (var service in new[] { "CustomerApi", "MagnetMail" })
        {
            foreach (var version in new[] { "1.1", "1.2" })
            {
                var headers = ValidHeaders(service, version);
                using var client = gateway.CreateClient();
                using var request = new HttpRequestMessage(HttpMethod.Post, Services[service].Path)
                {
                    Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(ValidEnvelope(new SoapVariant(service, version, "utf-8"), tenant, job))),
                };
                request.Content.Headers.TryAddWithoutValidation("Content-Type", headers.ContentType);
                if (headers.SoapAction is { } action)
                {
                    request.Headers.TryAddWithoutValidation("SOAPAction", action);
                }

                var answer = await Answer.ReadAsync(await client.SendAsync(request));
                Dialects.Expect(answer.Status == HttpStatusCode.OK, answer, $"200 from {service} SOAP {version}");
                Dialects.Expect(Envelope(answer, version).Name.LocalName == Services[service].Operation + "Response", answer, "the operation's response");
            }
        }
    }

    private static Gen<Edit> ParameterEdit(string service) => Gen.Frequency(
        (6, XmlBodies.ElementEdit(Services[service].Parameters)),
        (1, from name in Gen.Elements(Services[service].Parameters)
            from length in Gen.Elements(1025, 100_000, 2_000_000)
            select new Edit($"set {name} to {length} x", t => XmlBodies.Content(t, name, _ => new string('x', length)))));

    private static RequestHeaders ValidHeaders(string service, string version) =>
        version == "1.1"
            ? new RequestHeaders(Envelopes.Soap11Type, SoapAction: $"\"{Action(service)}\"")
            : new RequestHeaders(Envelopes.Soap12Type);

    private static Gen<RequestHeaders> Headers(string service, string version) =>
        from contentType in Gen.Elements(
            Envelopes.Soap11Type, Envelopes.Soap12Type, "text/xml", "application/soap+xml", "text/xml; charset=utf-16", "text/xml; charset=iso-8859-1",
            "text/xml; charset=bogus", "application/soap+xml; charset=utf-16", $"application/soap+xml; charset=utf-8; action=\"{Action(service)}\"",
            "application/soap+xml; action=\"urn:wrong\"", "application/xml", "text/plain", "TEXT/XML")
        from soapAction in Gen.Elements<string?>(
            null, $"\"{Action(service)}\"", Action(service), "\"\"", "\"urn:wrong\"", $"\"{Action(Other(service))}\"", $"\"{Action(service).ToUpperInvariant()}\"")
        select new RequestHeaders(contentType, SoapAction: soapAction);

    private async Task CheckAsync(Mutated<SoapVariant> c)
    {
        var (path, _, operation, _) = Services[c.Variant.Service];
        var tenant = await gateway.CreateTenantAsync();
        var job = c.Variant.Service == "T2A" ? null : await TestJobs.CreateAsync(gateway, tenant.ClientId, "upload", "contacts.csv");
        var before = await TestJobs.CountAsync(gateway, tenant.ClientId);
        var sent = Generated.Encode(c.Apply(ValidEnvelope(c.Variant, tenant, job)), c.Variant.Encoding);

        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(sent) };
        if (c.Headers.ContentType is { } contentType)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        if (c.Headers.SoapAction is { } action)
        {
            request.Headers.TryAddWithoutValidation("SOAPAction", action);
        }

        var answer = await Answer.ReadAsync(await client.SendAsync(request));
        var stored = await TestJobs.CountAsync(gateway, tenant.ClientId);

        var media = MediaTypeHeaderValue.TryParse(c.Headers.ContentType, out var parsed) ? parsed.MediaType?.ToLowerInvariant() : null;
        var envelopeVersion = EnvelopeVersion(sent);
        if (c.Edits.Count == 0 && c.Variant.Encoding == "utf-8" && c.Headers == ValidHeaders(c.Variant.Service, c.Variant.Version))
        {
            Dialects.Expect(answer.Status == HttpStatusCode.OK, answer, "200 for the valid envelope");
        }

        if (answer.Status == HttpStatusCode.OK)
        {
            var reply = Envelope(answer, envelopeVersion ?? "?");
            Dialects.Expect(reply.Name.LocalName == operation + "Response", answer, $"a {operation}Response");
            Dialects.Expect(stored == before + (c.Variant.Service == "T2A" ? 1 : 0), answer, $"{(c.Variant.Service == "T2A" ? "one job" : "nothing")} stored (found {stored - before})");
            return;
        }

        Dialects.Expect(stored == before, answer, $"nothing stored (found {stored - before} jobs)");
        if (answer.Status == HttpStatusCode.UnsupportedMediaType)
        {
            Dialects.Expect(answer.Body.Length == 0, answer, "an empty 415");
            Dialects.Expect(media is not (Soap11Media or Soap12Media) || (media == Soap12Media && envelopeVersion == "1.1"), answer, "415 only for a media type that is not SOAP's, or a SOAP 1.1 envelope as application/soap+xml");
            return;
        }

        Dialects.Expect(answer.Code is 400 or 413 or 500, answer, "200, 400, 413, 415 or 500");
        Dialects.NoInternals(answer);
        // A body over the limit is refused unread: its content type is all the gateway knows of its version.
        var faultVersion = (answer.Code == 413 ? null : envelopeVersion) ?? (media == Soap12Media ? "1.2" : "1.1");
        var fault = Envelope(answer, faultVersion);
        Dialects.Expect(fault.Name.LocalName == "Fault", answer, "a Fault");
        var code = faultVersion == "1.1"
            ? fault.Element("faultcode")?.Value
            : fault.Element(XName.Get("Code", Envelopes.Soap12Ns))?.Element(XName.Get("Value", Envelopes.Soap12Ns))?.Value;
        Dialects.Expect(code is "soap:Client" or "soap:VersionMismatch" or "soap:MustUnderstand" or "soap12:Sender" or "soap12:VersionMismatch" or "soap12:MustUnderstand",
            answer, "a fault that blames the request (Client/Sender, VersionMismatch or MustUnderstand)");
    }

    /// <summary>The first element of the answer's Body, after checking that the answer is an envelope of <paramref name="version"/>.</summary>
    private static XElement Envelope(Answer answer, string version)
    {
        var ns = version == "1.1" ? Envelopes.Soap11Ns : Envelopes.Soap12Ns;
        Dialects.Expect(answer.MediaType == (version == "1.1" ? Soap11Media : Soap12Media), answer, $"the SOAP {version} media type");
        var root = Dialects.ParseXml(answer).Root!;
        Dialects.Expect(root.Name == XName.Get("Envelope", ns), answer, $"a SOAP {version} Envelope");
        var first = root.Element(XName.Get("Body", ns))?.Elements().FirstOrDefault();
        Dialects.Expect(first is not null, answer, "a Body with an element");
        return first!;
    }

    /// <summary>
    /// The SOAP version of what was sent when it starts with an Envelope element of a known version (the gateway's
    /// faults speak it from there on); else null.
    /// </summary>
    private static string? EnvelopeVersion(byte[] sent)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(sent), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "Envelope" ? null : reader.NamespaceURI switch
            {
                Envelopes.Soap11Ns => "1.1",
                Envelopes.Soap12Ns => "1.2",
                _ => null,
            };
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static string ValidEnvelope(SoapVariant variant, TestTenant tenant, Core.Jobs.Job? job)
    {
        var ns = variant.Version == "1.1" ? Envelopes.Soap11Ns : Envelopes.Soap12Ns;
        return variant.Service switch
        {
            "T2A" => Envelopes.Envelope(ns, Envelopes.JobCreate(tenant.ApiKey, "client-1")),
            "CustomerApi" => Envelopes.Envelope(ns, Envelopes.GetJobStatus(tenant.ApiKey, job!.Id.ToString())),
            _ => Envelopes.Envelope(ns, Envelopes.GetUploadJobStatus("mm-user", job!.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)), Envelopes.MmAuthHeader(tenant.ApiKey)),
        };
    }

    private static string Action(string service) => Services[service].Namespace.TrimEnd('/') + "/" + Services[service].Operation;

    private static string Other(string service) => service == "T2A" ? "CustomerApi" : "T2A";

    private static string SwapParameters(string text)
    {
        var match = OperationChildren().Match(text);
        return match.Success
            ? text[..match.Index] + match.Groups["open"].Value + match.Groups["second"].Value + match.Groups["first"].Value + text[(match.Index + match.Length)..]
            : text;
    }

    private static string AddHeaderBlock(string text, string? understand, string? target)
    {
        var version12 = text.Contains(Envelopes.Soap12Ns, StringComparison.Ordinal);
        var targetValue = target switch
        {
            null => null,
            "next" => version12 ? "http://www.w3.org/2003/05/soap-envelope/role/next" : "http://schemas.xmlsoap.org/soap/actor/next",
            "ultimateReceiver" => version12 ? "http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver" : null,
            _ => target,
        };
        var block = "<x:Extra xmlns:x=\"urn:extra\""
            + (understand is null ? string.Empty : $" soap:mustUnderstand=\"{understand}\"")
            + (targetValue is null ? string.Empty : $" soap:{(version12 ? "role" : "actor")}=\"{targetValue}\"")
            + ">value</x:Extra>";
        return text.Contains("<soap:Header>", StringComparison.Ordinal)
            ? text.Replace("<soap:Header>", "<soap:Header>" + block, StringComparison.Ordinal)
            : text.Replace("<soap:Body>", "<soap:Header>" + block + "</soap:Header><soap:Body>", StringComparison.Ordinal);
    }

    [GeneratedRegex("xmlns:soap=\"[^\"]*\"")]
    private static partial Regex EnvelopeNamespace();

    [GeneratedRegex("(?<=<soap:Body><[A-Za-z_]+ )xmlns=\"[^\"]*\"")]
    private static partial Regex OperationNamespace();

    [GeneratedRegex("(?<header><soap:Header>.*?</soap:Header>)(?<body><soap:Body>.*?</soap:Body>)", RegexOptions.Singleline)]
    private static partial Regex HeaderAfterBody();

    [GeneratedRegex("(?<open><soap:Body><[A-Za-z_]+ [^>]*>)(?<first><(?<a>[A-Za-z_]+)>[^<]*</\\k<a>>)(?<second><(?<b>[A-Za-z_]+)>[^<]*</\\k<b>>)", RegexOptions.Singleline)]
    private static partial Regex OperationChildren();
}
