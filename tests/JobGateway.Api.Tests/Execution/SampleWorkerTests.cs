using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Xml.Linq;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Jobs;
using JobGateway.Api.Tests.Soap;

namespace JobGateway.Api.Tests.Execution;

public sealed class SampleWorkerGateway : GatewayFactory
{
    public SampleWorkerGateway() => UseRealServer();
}

/// <summary>The README's flow: a job created over SOAP, the sample worker run as a real process, the job finished everywhere.</summary>
public sealed class SampleWorkerTests(SampleWorkerGateway gateway) : IClassFixture<SampleWorkerGateway>
{
    [Fact]
    public async Task SampleWorker_CompletesJobsCreatedOverSoapAndRest()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = new HttpClient { BaseAddress = gateway.ServerAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", tenant.ApiKey);
        var created = await SoapHttp.PostAsync(http, SoapHttp.T2APath, Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "acme")), "\"https://api.t2a.io/soap/job_create\"");
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var upload = await JobsApiTests.CreateAsync(http, "upload");
        var uploadNumber = upload.GetProperty("number").GetInt64();

        var (exitCode, output) = await RunSampleAsync("--url", gateway.ServerAddress.ToString().TrimEnd('/'), "--key", tenant.ApiKey, "--once", "--worker-id", "sample-under-test");

        Assert.True(exitCode == 0, output);
        Assert.Contains("handled 2 jobs", output, StringComparison.Ordinal);
        var t2a = Assert.Single((await JobsApiTests.ReadJsonAsync(await http.GetAsync("/api/jobs?type=t2a"))).GetProperty("items").EnumerateArray());
        Assert.Equal("succeeded", t2a.GetProperty("status").GetString());
        var status = await SoapHttp.PostAsync(http, SoapHttp.CustomerApiPath, Envelopes.Soap11Type,
            Envelopes.Soap11(Envelopes.GetJobStatus(tenant.ApiKey, t2a.GetProperty("id").GetString()!)), "\"http://api.discountasp.net/GetJobStatus\"");
        Assert.Equal("Completed", Value(status.Body, "Status"));
        var mm = await SoapHttp.PostAsync(http, SoapHttp.MagnetMailPath, Envelopes.Soap11Type,
            Envelopes.Soap11(Envelopes.GetUploadJobStatus("mm-user", uploadNumber.ToString(CultureInfo.InvariantCulture)), Envelopes.MmAuthHeader(tenant.ApiKey)),
            "\"http://www.magnetmail.net/getUploadJobStatus\"");
        // The sample's counters follow from the job number: n = number % 90 + 10, total_records = 10 n.
        Assert.Equal("2", Value(mm.Body, "status"));
        Assert.Equal(((uploadNumber % 90 + 10) * 10).ToString(CultureInfo.InvariantCulture), Value(mm.Body, "total_records"));
    }

    private static async Task<(int ExitCode, string Output)> RunSampleAsync(params string[] args)
    {
        // tests/JobGateway.Api.Tests/bin/<Configuration>/net10.0/ → the sample's output of the same configuration.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = here.Parent!.Name;
        var root = here.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "samples", "JobGateway.SampleWorker", "bin", configuration, "net10.0", "JobGateway.SampleWorker.dll");
        Assert.True(File.Exists(dll), $"the sample worker is not built at {dll}");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Value(string xml, string localName) =>
        XDocument.Parse(xml).Descendants().First(e => e.Name.LocalName == localName).Value;
}
