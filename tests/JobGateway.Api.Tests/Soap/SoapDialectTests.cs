using JobGateway.Core.Jobs;
using JobGateway.Soap.DiscountAsp;
using JobGateway.Soap.Asmx;
using JobGateway.Soap.MagnetMail;
using JobGateway.Soap.T2A;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace JobGateway.Api.Tests.Soap;

/// <summary>The dialect mappers, the address resolver and the services' descriptions on their own: no host, no database.</summary>
public sealed class SoapDialectTests
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
    public void Service_ReadingHeaders_CannotOfferHttpGetAndPost()
    {
        Assert.Throws<InvalidOperationException>(() => new AsmxService(typeof(MagnetMailService), "/mmapi.asmx", offersHttpGetAndPost: true));
    }

    [Fact]
    public void Service_NamesAndActions_AreAsmxs()
    {
        var magnetMail = new AsmxService(typeof(MagnetMailService), "/mmapi.asmx");
        var t2a = new AsmxService(typeof(T2AService), "/soap/t2a.asmx", offersHttpGetAndPost: true);
        var customerApi = new AsmxService(typeof(CustomerApiService), "/1.0/customerapi.asmx");

        Assert.Equal(("MagnetMail Web Service", "MagnetMail_x0020_Web_x0020_Service"), (magnetMail.Name, magnetMail.WsdlName));
        Assert.Equal("https://api.t2a.io/soap/job_create", Assert.Single(t2a.Operations).Action);
        Assert.Equal("http://api.discountasp.net/GetJobStatus", Assert.Single(customerApi.Operations).Action);
        Assert.Equal(
            [new AsmxParameter("user_id", XsdType.String), new AsmxParameter("jobid", XsdType.Int)],
            Assert.Single(magnetMail.Operations).Parameters);
        Assert.Equal(["sessionId", "user_id"], Assert.Single(magnetMail.Operations).Header!.Members.Select(m => m.Name));
    }
}
