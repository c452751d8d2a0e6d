using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace JobGateway.Api.Tests.Infrastructure;

/// <summary>
/// The built gateway run as a real process (<c>dotnet JobGateway.Api.dll</c>, the build of the tests' own
/// configuration) on a free loopback port and a data directory of its own, with its console captured line by line:
/// what an operator starting it sees.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly string? _ownedDirectory;

    private GatewayProcess(Process process, Uri address, string dataDirectory, string? ownedDirectory)
    {
        _process = process;
        Address = address;
        DataDirectory = dataDirectory;
        _ownedDirectory = ownedDirectory;
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Where the gateway listens.</summary>
    public Uri Address { get; }

    /// <summary>The directory its SQLite database is in.</summary>
    public string DataDirectory { get; }

    /// <summary>Every console line so far (standard output and error).</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The built gateway's directory (tests/…/bin/&lt;Configuration&gt;/net10.0 → src/JobGateway.Api/bin/&lt;Configuration&gt;/net10.0).</summary>
    public static string BuildDirectory
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = here.Parent!.Name;
            var root = here.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(root, "src", "JobGateway.Api", "bin", configuration, "net10.0");
        }
    }

    /// <summary>
    /// Starts the gateway with <paramref name="settings"/> as environment variables (<c>Gateway__…</c>), on a new
    /// data directory unless <paramref name="dataDirectory"/> names one, and with <paramref name="arguments"/>.
    /// </summary>
    public static GatewayProcess Start(IReadOnlyDictionary<string, string>? settings = null, string? dataDirectory = null, params string[] arguments) =>
        Start(settings, dataDirectory, unprivileged: false, arguments);

    /// <summary>
    /// <see cref="Start(IReadOnlyDictionary{string, string}?, string?, string[])"/> as a user without privileges: when the
    /// tests run as root (to whom file permissions do not apply), the gateway runs as nobody (uid 65534) through setpriv.
    /// </summary>
    public static GatewayProcess StartUnprivileged(IReadOnlyDictionary<string, string>? settings, string dataDirectory) =>
        Start(settings, dataDirectory, unprivileged: true, []);

    private static GatewayProcess Start(IReadOnlyDictionary<string, string>? settings, string? dataDirectory, bool unprivileged, string[] arguments)
    {
        var dll = Path.Combine(BuildDirectory, "JobGateway.Api.dll");
        Assert.True(File.Exists(dll), $"the gateway is not built at {dll}");
        var owned = dataDirectory is null ? Path.Combine(Path.GetTempPath(), "jobgateway-process", Guid.NewGuid().ToString("N")) : null;
        dataDirectory ??= owned!;
        Directory.CreateDirectory(dataDirectory);
        var port = FreePort();
        var asNobody = unprivileged && Environment.IsPrivilegedProcess;
        var start = new ProcessStartInfo(asNobody ? "setpriv" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory,
        };
        if (asNobody)
        {
            foreach (var argument in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", "--", "dotnet"])
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["HOME"] = Path.GetTempPath();
        }

        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(BuildDirectory);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Gateway__Database__ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, "jobgateway.db")}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new GatewayProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"), dataDirectory, owned);
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200; fails with the console when it does not in time.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"the gateway exited ({_process.ExitCode}):\n{string.Join('\n', Lines)}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the gateway was not ready in time:\n{string.Join('\n', Lines)}");
    }

    /// <summary>Waits until the console has lines matching <paramref name="predicate"/> at least <paramref name="count"/> times.</summary>
    public async Task<IReadOnlyList<string>> WaitForLinesAsync(Func<string, bool> predicate, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var matching = Lines.Where(predicate).ToList();
            if (matching.Count >= count || DateTime.UtcNow > deadline)
            {
                return matching;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_ownedDirectory is not null)
        {
            try
            {
                Directory.Delete(_ownedDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Litter in the temp directory at worst.
            }
        }
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
