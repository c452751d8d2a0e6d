using System.Diagnostics;
using System.Text.Json;
using JobGateway.Api.Tests.Infrastructure;

namespace JobGateway.Api.Tests.Contract;

/// <summary>
/// The served document through the linters client developers run: Spectral (<c>spectral:oas</c>) and Redocly
/// (<c>recommended</c>), both as they are, installed from tools/openapi/package-lock.json by scripts/test.sh. Neither
/// may report an error; their warnings are listed in docs/openapi.md.
/// </summary>
public sealed class OpenApiLintTests : IClassFixture<GatewayFactory>, IDisposable
{
    private readonly string _document;

    public OpenApiLintTests(GatewayFactory gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        using var client = gateway.CreateClient(apiKey: null);
        _document = Path.Combine(Path.GetTempPath(), $"jobgateway-openapi-{Guid.NewGuid():N}.json");
        File.WriteAllText(_document, client.GetStringAsync("/swagger/v1/swagger.json").GetAwaiter().GetResult());
    }

    [OpenApiToolFact]
    public async Task Spectral_OasRuleset_FindsNoError()
    {
        var (exitCode, output) = await RunAsync("spectral", "lint", _document, "--ruleset", Path.Combine(OpenApiToolFactAttribute.ToolsDirectory, ".spectral.yaml"), "--format", "json", "--quiet");

        // Severity 0 is an error; Spectral exits 1 when it finds one.
        var results = JsonDocument.Parse(output[output.IndexOf('[', StringComparison.Ordinal)..]).RootElement.EnumerateArray().ToArray();
        var errors = results.Where(r => r.GetProperty("severity").GetInt32() == 0)
            .Select(r => $"{r.GetProperty("code")}: {r.GetProperty("message")} at {string.Join('.', r.GetProperty("path").EnumerateArray())}")
            .ToArray();
        Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors));
        Assert.Equal(0, exitCode);
    }

    [OpenApiToolFact]
    public async Task Redocly_RecommendedRuleset_FindsNoError()
    {
        var (exitCode, output) = await RunAsync("redocly", "lint", _document, "--config", Path.Combine(OpenApiToolFactAttribute.ToolsDirectory, "redocly.yaml"), "--format", "json");

        var report = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]).RootElement;
        var errors = report.GetProperty("problems").EnumerateArray()
            .Where(p => p.GetProperty("severity").GetString() == "error")
            .Select(p => $"{p.GetProperty("ruleId")}: {p.GetProperty("message")}")
            .ToArray();
        Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors));
        Assert.Equal(0, exitCode);
    }

    public void Dispose() => File.Delete(_document);

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(OpenApiToolFactAttribute.ToolsDirectory, "node_modules", ".bin", tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = OpenApiToolFactAttribute.ToolsDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // No telemetry and no update check: the linters run offline on a file.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["SCARF_ANALYTICS"] = "false";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        Assert.True(output.Length > 0, $"{tool} printed nothing: {await stderr}");
        return (process.ExitCode, output);
    }
}

/// <summary>
/// A test that needs the npm tools of tools/openapi: skipped when they are not installed, unless CI=true (then it
/// runs and fails, so CI never silently loses it). scripts/test.sh installs them.
/// </summary>
public sealed class OpenApiToolFactAttribute : FactAttribute
{
    public OpenApiToolFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && !File.Exists(Path.Combine(ToolsDirectory, "node_modules", ".bin", "spectral")))
        {
            Skip = $"the OpenAPI linters are not installed (npm ci --prefix {ToolsDirectory}; scripts/test.sh does); with CI=true this test fails instead.";
        }
    }

    /// <summary>tools/openapi of the repository.</summary>
    public static string ToolsDirectory { get; } = Path.Combine(ContractSnapshotTests.RepositoryRoot, "tools", "openapi");
}
