using System.Xml;
using JobGateway.Core.Jobs;
using JobGateway.Soap.DiscountAsp;
using JobGateway.Soap.Engine;
using JobGateway.Soap.MagnetMail;
using JobGateway.Soap.T2A;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace JobGateway.Api.Tests.Soap;

/// <summary>The engine and the dialect mappers on their own: no host, no database.</summary>
public sealed class SoapEngineTests
{
    [Theory]
    [InlineData(JobStatus.Pending, "Pending", 0)]
    [InlineData(JobStatus.Running, "Running", 1)]
    [InlineData(JobStatus.Succeeded, "Completed", 2)]
    [InlineData(JobStatus.Failed, "Failed", -1)]
    [InlineData(JobStatus.Cancelled, "Cancelled", -2)]
    public void StatusMappers_DefaultToTheDesignTable(JobStatus status, string discountAsp, int magnetMail)
    {
        Assert.Equal(discountAsp, DiscountAspStatus.Default(status));
        Assert.Equal(magnetMail, MagnetMailStatus.DefaultCode(status));
    }

    [Fact]
    public void StatusMappers_CoverEveryStatus()
    {
        Assert.All(Enum.GetValues<JobStatus>(), s => Assert.NotEmpty(DiscountAspStatus.Default(s)));
        Assert.Equal(Enum.GetValues<JobStatus>().Length, Enum.GetValues<JobStatus>().Select(MagnetMailStatus.DefaultCode).Distinct().Count());
    }

    [Fact]
    public void StatusMappers_PreferConfiguredWords()
    {
        var words = new Dictionary<JobStatus, string> { [JobStatus.Succeeded] = "Done" };
        var codes = new Dictionary<JobStatus, int> { [JobStatus.Cancelled] = -1 };

        Assert.Equal("Done", DiscountAspStatus.Word(JobStatus.Succeeded, words));
        Assert.Equal("Failed", DiscountAspStatus.Word(JobStatus.Failed, words));
        Assert.Equal(-1, MagnetMailStatus.Code(JobStatus.Cancelled, codes));
        Assert.Equal(2, MagnetMailStatus.Code(JobStatus.Succeeded, codes));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"total_records":"12"}""")]
    public void UploadReport_WithoutNumericCounters_ReadsZero(string? report)
    {
        Assert.Equal(0, UploadReport.Parse(report).Number("total_records"));
    }

    [Fact]
    public void UploadReport_ReadsCountersAndFileNames()
    {
        var report = UploadReport.Parse("""{"total_records":12,"good_records":11.5,"mm_filename":"x.csv"}""");

        Assert.Equal(12, report.Number("total_records"));
        Assert.Equal(11.5, report.Number("good_records"));
        Assert.Equal("x.csv", report.Text("mm_filename"));
        Assert.Null(report.Text("user_filename"));
    }

    [Theory]
    [InlineData(null, "", "localhost:8080", "http://localhost:8080")]
    [InlineData(null, "", "127.0.0.1:5000", "http://127.0.0.1:5000")]
    [InlineData(null, "", "[::1]:5000", "http://[::1]:5000")]
    [InlineData(null, "", "gateway.example.com", SoapAddressResolver.FallbackBaseUrl)]
    [InlineData(null, "gateway.example.com", "gateway.example.com:8443", "http://gateway.example.com:8443")]
    [InlineData(null, "gateway.example.com:8443", "gateway.example.com:9999", SoapAddressResolver.FallbackBaseUrl)]
    [InlineData(null, "gateway.example.com", "localhost", SoapAddressResolver.FallbackBaseUrl)]
    [InlineData("https://jobs.example.com/", "", "evil.example.com", "https://jobs.example.com")]
    public void AddressResolver_TrustsOnlyConfiguredOrAllowedHosts(string? publicBaseUrl, string allowed, string host, string expected)
    {
        var options = new SoapOptions { PublicBaseUrl = publicBaseUrl };
        foreach (var entry in allowed.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            options.AllowedHosts.Add(entry);
        }

        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(host);

        Assert.Equal(expected, new SoapAddressResolver(Options.Create(options)).BaseUrl(context.Request));
    }

    [Fact]
    public void ServiceDescription_WithHeadersOverHttpGet_IsRefused()
    {
        var service = new SoapServiceDescription
        {
            Name = "X",
            Namespace = "urn:x",
            Path = "/x.asmx",
            Bindings = SoapBindings.All,
            Operations = [.. MagnetMailService.Description.Operations],
        };

        Assert.Throws<InvalidOperationException>(service.Validate);
    }

    [Fact]
    public void ServiceDescription_EncodesNamesAndActionsAsAsmxDoes()
    {
        Assert.Equal("MagnetMail_x0020_Web_x0020_Service", MagnetMailService.Description.WsdlName);
        Assert.Equal("https://api.t2a.io/soap/job_create", T2AService.Description.ActionOf(T2AService.Description.Operations[0]));
        Assert.Equal("http://api.discountasp.net/GetJobStatus", CustomerApiService.Description.ActionOf(CustomerApiService.Description.Operations[0]));
    }

    [Fact]
    public void EnvelopeReader_ReadsParametersInAnyOrderAndSkipsUnknownOnes()
    {
        var (operation, arguments) = Read(
            """<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><job_create xmlns="https://api.t2a.io/soap"><x><y/></x><client> a b </client><api_key>k</api_key></job_create></soap:Body></soap:Envelope>""");

        Assert.Equal("job_create", operation.Name);
        Assert.Equal(" a b ", arguments.String("client"));
        Assert.Equal("k", arguments.String("api_key"));
    }

    [Fact]
    public void EnvelopeReader_ContentAfterTheEnvelope_IsMalformed()
    {
        Assert.Throws<XmlException>(() => Read(
            """<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><job_create xmlns="https://api.t2a.io/soap"/></soap:Body></soap:Envelope><more/>"""));
    }

    [Fact]
    public void EnvelopeReader_NestingPastTheCap_Faults()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 40)) + string.Concat(Enumerable.Repeat("</a>", 40));

        var fault = Assert.Throws<SoapFaultException>(() => Read(
            $"""<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><job_create xmlns="https://api.t2a.io/soap">{deep}</job_create></soap:Body></soap:Envelope>"""));

        Assert.Equal(StatusCodes.Status400BadRequest, fault.HttpStatus);
    }

    [Fact]
    public void Arguments_WithWrongTypes_FaultNamingTheParameter()
    {
        var arguments = SoapArguments.From([SoapParameter.Guid("jobId"), SoapParameter.Int("jobid")], name => name == "jobId" ? "12" : "1.5");

        Assert.Equal("Parameter jobId is not a valid guid.", Assert.Throws<SoapFaultException>(() => arguments.Guid("jobId")).Message);
        Assert.Equal("Parameter jobid is not a valid int.", Assert.Throws<SoapFaultException>(() => arguments.Int32("jobid")).Message);
    }

    private static (SoapOperation Operation, SoapArguments Arguments) Read(string envelope)
    {
        using var reader = XmlReader.Create(new StringReader(envelope), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        var version = SoapEnvelopeReader.ReadVersion(reader);
        return SoapEnvelopeReader.ReadEnvelope(reader, version, selected: null, new SoapDispatchTable(T2AService.Description), maxDepth: 32);
    }
}
