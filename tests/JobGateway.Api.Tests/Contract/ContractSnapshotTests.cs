using System.Text.Json.Nodes;
using JobGateway.Api.Tests.Infrastructure;

namespace JobGateway.Api.Tests.Contract;

/// <summary>
/// tests/JobGateway.GatewayClient/openapi.json, from which the generated client is built, is the document the gateway
/// serves. A change to the contract shows up as a change to that file in review; refresh it with
/// <c>JOBGATEWAY_UPDATE_OPENAPI_SNAPSHOT=1</c> (docs/openapi.md).
/// </summary>
public sealed class ContractSnapshotTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    public const string UpdateVariable = "JOBGATEWAY_UPDATE_OPENAPI_SNAPSHOT";

    /// <summary>The repository (tests/JobGateway.Api.Tests/bin/&lt;Configuration&gt;/net10.0/ is five levels below it).</summary>
    public static string RepositoryRoot { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Parent!.Parent!.Parent!.Parent!.FullName;

    public static string SnapshotPath { get; } = Path.Combine(RepositoryRoot, "tests", "JobGateway.GatewayClient", "openapi.json");

    [Fact]
    public async Task Snapshot_IsTheServedDocument()
    {
        using var client = gateway.CreateClient(apiKey: null);
        var served = await client.GetStringAsync("/swagger/v1/swagger.json");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(SnapshotPath, served.ReplaceLineEndings("\n") + "\n");
        }

        Assert.True(File.Exists(SnapshotPath), $"{SnapshotPath} is missing");
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(served), JsonNode.Parse(await File.ReadAllTextAsync(SnapshotPath))),
            $"The served document differs from {SnapshotPath}: run the tests with {UpdateVariable}=1 to refresh it, rebuild, and review the change.");
    }
}
