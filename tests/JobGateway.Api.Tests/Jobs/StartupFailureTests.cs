using JobGateway.Api.Tests.Infrastructure;

namespace JobGateway.Api.Tests.Jobs;

/// <summary>
/// A gateway that cannot start says why in one console line, saying what is wrong and what to do, and exits with
/// code 1: no stack trace, no abort. Each case runs the built gateway as a process, as an operator starts it.
/// </summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task ASecondGateway_OnTheSameSqliteFile_SaysTheFileIsInUse_AndExits1()
    {
        await using var first = GatewayProcess.Start(new Dictionary<string, string> { ["Gateway__BootstrapAdminKey"] = GatewayFactory.AdminKey });
        await first.WaitUntilReadyAsync();

        await using var second = GatewayProcess.Start(dataDirectory: first.DataDirectory);

        Assert.Equal(1, await second.WaitForExitAsync());
        var line = AssertOneLine(second);
        Assert.Contains($"The SQLite database {Path.Combine(first.DataDirectory, "jobgateway.db")} is in use by another process", line, StringComparison.Ordinal);
        Assert.Contains("Gateway:Database:ConnectionString", line, StringComparison.Ordinal);

        // The first one goes on serving.
        using var client = new HttpClient { BaseAddress = first.Address };
        Assert.True((await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ADataDirectoryTheGatewayCannotWrite_IsNamed_AndExits1()
    {
        var parent = Path.Combine(Path.GetTempPath(), "jobgateway-process", Guid.NewGuid().ToString("N"));
        var readOnly = Path.Combine(parent, "read-only");
        Directory.CreateDirectory(readOnly);
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            await using var gateway = GatewayProcess.StartUnprivileged(null, readOnly);

            Assert.Equal(1, await gateway.WaitForExitAsync());
            var line = AssertOneLine(gateway);
            Assert.Contains($"cannot write its SQLite database {Path.Combine(readOnly, "jobgateway.db")}", line, StringComparison.Ordinal);
            Assert.Contains($"{readOnly} is not writable", line, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Delete(parent, recursive: true);
        }
    }

    [Theory]
    [InlineData("Gateway__MaxRequestBodyBytes", "12", "Gateway:MaxRequestBodyBytes: The field MaxRequestBodyBytes must be between 1024 and 104857600.")]
    [InlineData("Gateway__MaxRequestBodyBytes", "lots", "Gateway:MaxRequestBodyBytes is 'lots', which is not a whole number.")]
    [InlineData("Gateway__Database__Provider", "Oracle", "Gateway:Database:Provider is 'Oracle', which is not one of Sqlite, PostgreSql.")]
    [InlineData("Gateway__PublicBaseUrl", "ftp://example.com", "Gateway:PublicBaseUrl must be an absolute http or https URL.")]
    public async Task ABadSetting_IsNamed_AndExits1(string setting, string value, string expected)
    {
        await using var gateway = GatewayProcess.Start(new Dictionary<string, string> { [setting] = value });

        Assert.Equal(1, await gateway.WaitForExitAsync());
        var line = AssertOneLine(gateway);
        Assert.Contains($"The gateway cannot start: A setting is not valid: {expected}", line, StringComparison.Ordinal);
        Assert.Contains("then start again", line, StringComparison.Ordinal);
    }

    // The console holds one error line, the fatal one, and no stack frame or exception type.
    private static string AssertOneLine(GatewayProcess gateway)
    {
        var console = string.Join('\n', gateway.Lines);
        var errors = gateway.Lines.Where(l => l.Contains(" FTL] ", StringComparison.Ordinal) || l.Contains(" ERR] ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, $"expected one error line:\n{console}");
        Assert.DoesNotContain(gateway.Lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Exception", console, StringComparison.Ordinal);
        Assert.Contains(" FTL] ", errors[0], StringComparison.Ordinal);
        return errors[0];
    }
}
