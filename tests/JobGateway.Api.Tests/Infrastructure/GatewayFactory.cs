using System.Net.Http.Headers;
using System.Net.Http.Json;
using JobGateway.Api.Tests.Contract;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JobGateway.Api.Tests.Infrastructure;

/// <summary>
/// The real host on its own SQLite file, with a <see cref="TestTimeProvider"/> and a known admin key.
/// One per test class (<c>IClassFixture&lt;GatewayFactory&gt;</c>); tests make their own tenants with
/// <see cref="CreateTenantAsync"/> so they never see each other's data.
/// Call <see cref="UseRealServer"/> before first use for a real Kestrel listener on 127.0.0.1 (for
/// out-of-process clients such as zeep or PHP); <see cref="ServerAddress"/> then says where.
/// </summary>
public class GatewayFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    private readonly string _directory;
    private bool _ownsDirectory;
    private bool _kestrel;

    public GatewayFactory()
        : this(Path.Combine(Path.GetTempPath(), "jobgateway-tests", Guid.NewGuid().ToString("N")), ownsDirectory: true)
    {
    }

    private GatewayFactory(string directory, bool ownsDirectory)
    {
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        Directory.CreateDirectory(_directory);
        DatabasePath = Path.Combine(_directory, "gateway.db");
        Contract = new ContractRecorder(async () =>
        {
            using var client = CreateClient();
            return await client.GetStringAsync("/swagger/v1/swagger.json");
        });
    }

    /// <summary>
    /// Checks every REST answer of this host against the OpenAPI document it serves; disposing the host fails
    /// when any answer broke it.
    /// </summary>
    public ContractRecorder Contract { get; }

    /// <summary>
    /// A second host on this host's database file, as after a restart. It takes over the file: dispose this
    /// one first, then use the new one.
    /// </summary>
    public GatewayFactory CreateRestartedHost()
    {
        var restarted = new GatewayFactory(_directory, _ownsDirectory);
        _ownsDirectory = false;
        return restarted;
    }

    /// <summary>The clock every part of the host uses.</summary>
    public TestTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    /// <summary>The SQLite file of this host.</summary>
    public string DatabasePath { get; private set; }

    /// <summary>Extra configuration, applied on top of the defaults (set before first use).</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Extra service registrations (test job handlers, ...), applied after the host's own.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>Serve over Kestrel on a free loopback port instead of the in-memory test server.</summary>
    public GatewayFactory UseRealServer()
    {
        _kestrel = true;
        UseKestrel(0);
        return this;
    }

    /// <summary>The base address of the real server (after <see cref="UseRealServer"/>).</summary>
    public Uri ServerAddress
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// A client that sends <paramref name="apiKey"/> as its bearer token; a call whose answer breaks the OpenAPI
    /// contract throws <see cref="ContractViolationException"/>.
    /// </summary>
    public HttpClient CreateClient(string? apiKey)
    {
        var client = CreateDefaultClient(new ContractCheckingHandler(Contract));
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>A new client (tenant) with one key of the given roles (default: client).</summary>
    public async Task<TestTenant> CreateTenantAsync(params string[] roles)
    {
        using var admin = CreateClient(AdminKey);
        var name = "tenant-" + Guid.NewGuid().ToString("N")[..12];
        var response = await admin.PostAsJsonAsync("/api/admin/clients", new { name, roles = roles.Length == 0 ? ["client"] : roles });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<CreatedClient>();
        return new TestTenant(created!.Client.Id, created.Client.Name, created.ApiKey.Key, created.ApiKey.Id);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Gateway:BootstrapAdminKey", AdminKey);
        builder.UseSetting("Gateway:Database:ConnectionString", $"Data Source={DatabasePath}");
        if (_kestrel)
        {
            builder.UseSetting("urls", "http://127.0.0.1:0");
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<IStartupFilter>(new ContractStartupFilter(Contract));
            TestServices?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDirectory)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow shutdown only leaves litter in the temp directory.
            }
        }

        if (disposing)
        {
            Contract.AssertNoViolations();
        }
    }

    private sealed record CreatedClient(ClientDto Client, KeyDto ApiKey);

    private sealed record ClientDto(Guid Id, string Name);

    private sealed record KeyDto(Guid Id, string Key);
}

/// <summary>A host whose background loops are off, so a test steps workers, sweeper, scheduler and webhooks itself.</summary>
public class SteppedGatewayFactory : GatewayFactory
{
    public SteppedGatewayFactory()
    {
        Settings["Gateway:Execution:RunBackgroundServices"] = "false";
    }
}

/// <summary>A tenant made for one test.</summary>
public sealed record TestTenant(Guid ClientId, string Name, string ApiKey, Guid KeyId);
