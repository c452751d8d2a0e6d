using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace JobGateway.Api.Tests.Resilience;

/// <summary>
/// A PostgreSQL server of one test's own, which the test may stop and start as it likes without disturbing the shared
/// test server: <c>initdb</c> into a temporary directory, <c>pg_ctl</c> on a free loopback port, run as the
/// <c>postgres</c> user (<c>runuser</c>) when the tests run as root, as scripts/lib/postgres.sh does. Needs Debian's
/// <c>postgresql</c> package (scripts/test.sh installs it); without it the test is skipped, or fails under CI=true.
/// </summary>
public sealed class DedicatedPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _directory;
    private readonly string? _runAs;
    private readonly int _port;

    private DedicatedPostgres(string bin, string directory, string? runAs, int port, string password)
    {
        _bin = bin;
        _directory = directory;
        _runAs = runAs;
        _port = port;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=jobgateway;Password={password};Database=postgres";
    }

    /// <summary>The server's <c>postgres</c> database, as the gateway's connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>Debian keeps initdb and pg_ctl in /usr/lib/postgresql/&lt;version&gt;/bin, off the PATH.</summary>
    public static string? BinDirectory =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderBy(d => d, StringComparer.Ordinal)
                .LastOrDefault()
            : null;

    public static string? SkipReason =>
        BinDirectory is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? "PostgreSQL's initdb/pg_ctl are not installed (apt-get install -y postgresql; scripts/test.sh installs them). CI=true turns this skip into a failure."
            : null;

    public static async Task<DedicatedPostgres> StartAsync()
    {
        var bin = BinDirectory ?? throw new InvalidOperationException("CI=true needs PostgreSQL's initdb and pg_ctl (apt-get install -y postgresql).");
        var directory = Path.Combine(Path.GetTempPath(), "jobgateway-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var runAs = Environment.UserName == "root" ? (await RunAsync("id", ["-u", "postgres"], null, directory, check: false) == 0 ? "postgres" : "nobody") : null;
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await File.WriteAllTextAsync(Path.Combine(directory, "pwfile"), password);
        if (runAs is not null)
        {
            await RunAsync("chown", ["-R", runAs, directory], null, directory);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var server = new DedicatedPostgres(bin, directory, runAs, FreePort(), password);
        await server.RunAsync("initdb", "-D", server.Data, "-U", "jobgateway", "--pwfile=" + Path.Combine(directory, "pwfile"),
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync");
        await server.StartAgainAsync();
        return server;
    }

    private string Data => Path.Combine(_directory, "data");

    /// <summary><c>pg_ctl stop -m fast</c>: connections are closed and the server is gone until <see cref="StartAgainAsync"/>.</summary>
    public Task StopAsync() => RunAsync("pg_ctl", "-D", Data, "-m", "fast", "-w", "-t", "60", "stop");

    /// <summary><c>pg_ctl start</c>, returning once the server accepts connections.</summary>
    public Task StartAgainAsync() => RunAsync("pg_ctl", "-D", Data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
        "-o", string.Create(CultureInfo.InvariantCulture, $"-k {_directory} -h 127.0.0.1 -p {_port} -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"),
        "start");

    public async ValueTask DisposeAsync()
    {
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-m", "immediate", "stop"], _runAs, _directory, check: false);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Litter in the temp directory at worst.
        }
    }

    private Task<int> RunAsync(string tool, params string[] arguments) => RunAsync(Path.Combine(_bin, tool), arguments, _runAs, _directory);

    private static async Task<int> RunAsync(string program, string[] arguments, string? runAs, string directory, bool check = true)
    {
        var start = new ProcessStartInfo(runAs is null ? program : "runuser")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (runAs is not null)
        {
            foreach (var argument in new[] { "-u", runAs, "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stdout}{await stderr}");
        }

        return process.ExitCode;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
