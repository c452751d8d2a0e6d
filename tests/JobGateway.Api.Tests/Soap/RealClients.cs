using System.Diagnostics;
using JobGateway.Api.Tests.Infrastructure;

namespace JobGateway.Api.Tests.Soap;

/// <summary>The gateway on a real Kestrel listener (127.0.0.1, free port), once per test class.</summary>
public sealed class KestrelGatewayFactory : GatewayFactory
{
    public KestrelGatewayFactory()
    {
        UseRealServer();
    }

    /// <summary>The base URL out-of-process clients use, without a trailing slash.</summary>
    public string BaseUrl => ServerAddress.GetLeftPart(UriPartial.Authority);
}

/// <summary>An out-of-process SOAP client the suite drives.</summary>
public enum RealClient
{
    /// <summary>python zeep (Debian <c>python3-zeep</c>), run with <c>/usr/bin/python3</c>.</summary>
    Zeep,

    /// <summary>PHP SoapClient (Debian <c>php-cli php-soap</c>).</summary>
    PhpSoap,
}

/// <summary>
/// A test that needs a real client. Without it the test is skipped with a message saying what to install,
/// except when <c>CI=true</c>: there a missing client is a failure, so CI can never pass by skipping.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealClientFactAttribute : FactAttribute
{
    public RealClientFactAttribute(RealClient client)
    {
        Client = client;
        if (!RealClients.IsInstalled(client) && !RealClients.IsCi)
        {
            Skip = $"{RealClients.Describe(client)} is not installed (apt-get install -y {RealClients.Packages(client)}); CI=true turns this skip into a failure.";
        }
    }

    public RealClient Client { get; }
}

/// <summary>Finds and runs the client scripts under <c>Soap/Clients</c>.</summary>
internal static class RealClients
{
    public const string Python = "/usr/bin/python3";
    public const string Php = "php";

    private static readonly Lazy<bool> ZeepInstalled = new(() => Probe(Python, "-c", "import zeep"));
    private static readonly Lazy<bool> PhpSoapInstalled = new(() => Probe(Php, "-r", "exit(class_exists('SoapClient') ? 0 : 1);"));

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsInstalled(RealClient client) => client == RealClient.Zeep ? ZeepInstalled.Value : PhpSoapInstalled.Value;

    public static string Describe(RealClient client) => client == RealClient.Zeep ? "python zeep" : "PHP SoapClient";

    public static string Packages(RealClient client) => client == RealClient.Zeep ? "python3-zeep" : "php-cli php-soap";

    /// <summary>Runs the client's script against <paramref name="baseUrl"/>; returns its output lines.</summary>
    public static async Task<string[]> RunAsync(RealClient client, string baseUrl, string service, string apiKey, params string[] args)
    {
        Assert.True(IsInstalled(client), $"{Describe(client)} is required here (CI=true): apt-get install -y {Packages(client)}");
        var directory = Path.Combine(AppContext.BaseDirectory, "Soap", "Clients");
        var (program, script) = client == RealClient.Zeep
            ? (Python, Path.Combine(directory, "zeep_client.py"))
            : (Php, Path.Combine(directory, "php_client.php"));
        var (exitCode, output, error) = await RunProcessAsync(program, [script, baseUrl, service, apiKey, .. args]);
        Assert.True(exitCode == 0, $"{Describe(client)} exited with {exitCode}.\nstdout:\n{output}\nstderr:\n{error}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static bool Probe(string program, params string[] args)
    {
        try
        {
            return RunProcessAsync(program, args).GetAwaiter().GetResult().ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunProcessAsync(string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within 60 s.");
        }

        return (process.ExitCode, await output, await error);
    }
}
