using System.Diagnostics;
using System.Text.RegularExpressions;
using JobGateway.Api.Tests.Contract;
using JobGateway.Api.Tests.Infrastructure;

namespace JobGateway.Api.Tests.Docs;

/// <summary>
/// README.md's walkthrough, run as a newcomer runs it: the built gateway started the way the README's first
/// command starts it (the Development environment, nothing configured, a fresh data directory), then the
/// walkthrough block pasted into bash as it is written. Each command's trailing comment is the answer the README
/// promises; they must appear in the output in order (<c>…</c> stands for anything).
/// </summary>
public sealed partial class ReadmeWalkthroughTests
{
    private const string Marker = "<!-- walkthrough:";
    private const string DevelopmentAdminKey = "dev-admin-key-0123456789";

    private static readonly Dictionary<string, string> Development = new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["DOTNET_ENVIRONMENT"] = "Development",
    };

    [Fact]
    public async Task TheWalkthrough_RunsInOrder_AndGetsEveryDocumentedAnswer()
    {
        var block = WalkthroughBlock();
        var gwLine = Assert.Single(block.Split('\n'), l => l.StartsWith("GW=", StringComparison.Ordinal));
        await using var gateway = GatewayProcess.Start(Development);
        await gateway.WaitUntilReadyAsync();

        var script = block.Replace(gwLine, $"GW={gateway.Address.ToString().TrimEnd('/')}", StringComparison.Ordinal);
        var (exitCode, output, errors) = await RunBashAsync(script, gateway.DataDirectory);

        Assert.True(exitCode == 0, $"the walkthrough failed ({exitCode}):\n{errors}\n--- output ---\n{output}\n--- gateway ---\n{string.Join('\n', gateway.Lines)}");
        var position = 0;
        foreach (var answer in DocumentedAnswers(block))
        {
            foreach (var fragment in answer.Split('…', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var found = output.IndexOf(fragment, position, StringComparison.Ordinal);
                Assert.True(found >= 0, $"the README promises «{answer}», but «{fragment}» is not in the rest of the output:\n{output[position..]}");
                position = found + fragment.Length;
            }
        }
    }

    [Fact]
    public async Task ABootstrapKey_ThatTheDatabaseDoesNotKnow_IsIgnoredWithAWarning()
    {
        var directory = Path.Combine(Path.GetTempPath(), "jobgateway-process", Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = GatewayProcess.Start(Development, directory))
            {
                await first.WaitUntilReadyAsync();
                Assert.DoesNotContain(first.Lines, IsIgnoredKeyWarning);
            }

            await using (var same = GatewayProcess.Start(Development, directory))
            {
                await same.WaitUntilReadyAsync();
                Assert.DoesNotContain(same.Lines, IsIgnoredKeyWarning);
            }

            var other = new Dictionary<string, string>(Development) { ["Gateway__BootstrapAdminKey"] = "another-admin-key-0123456789" };
            await using var second = GatewayProcess.Start(other, directory);
            await second.WaitUntilReadyAsync();
            var warning = Assert.Single(second.Lines, IsIgnoredKeyWarning);
            Assert.Contains("WRN", warning, StringComparison.Ordinal);
            Assert.Contains("only seeds an empty database", warning, StringComparison.Ordinal);
            Assert.DoesNotContain("another-admin-key", string.Join('\n', second.Lines), StringComparison.Ordinal);

            using var client = new HttpClient { BaseAddress = second.Address };
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await StatusWithKeyAsync(client, "another-admin-key-0123456789"));
            Assert.Equal(System.Net.HttpStatusCode.OK, await StatusWithKeyAsync(client, DevelopmentAdminKey));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static bool IsIgnoredKeyWarning(string line) => line.Contains("Gateway:BootstrapAdminKey is set but ignored", StringComparison.Ordinal);

    private static async Task<System.Net.HttpStatusCode> StatusWithKeyAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>The fenced bash block that follows the walkthrough marker in README.md.</summary>
    private static string WalkthroughBlock()
    {
        var readme = File.ReadAllText(Path.Combine(ContractSnapshotTests.RepositoryRoot, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var marker = readme.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(marker >= 0, "README.md has no walkthrough marker");
        var start = readme.IndexOf("```bash\n", marker, StringComparison.Ordinal) + "```bash\n".Length;
        var end = readme.IndexOf("\n```", start, StringComparison.Ordinal);
        return readme[start..end] + "\n";
    }

    /// <summary>The trailing <c># …</c> comment of each command line, in order.</summary>
    private static IEnumerable<string> DocumentedAnswers(string block) =>
        block.Split('\n')
            .Where(l => !l.TrimStart().StartsWith('#'))
            .Select(l => TrailingComment().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value.Trim());

    private static async Task<(int ExitCode, string Output, string Errors)> RunBashAsync(string script, string directory)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add("-euo");
        start.ArgumentList.Add("pipefail");
        using var bash = Process.Start(start)!;
        await bash.StandardInput.WriteAsync(script);
        bash.StandardInput.Close();
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bash.WaitForExitAsync(timeout.Token);
        return (bash.ExitCode, await output, await errors);
    }

    // A comment after a command: two or more spaces, '#', a space, then the promised answer.
    [GeneratedRegex(@"^.*?\S\s{2,}#\s(.+)$")]
    private static partial Regex TrailingComment();
}
