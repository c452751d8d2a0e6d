using JobGateway.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace JobGateway.Persistence.Tests;

/// <summary>How the gateway turns its configured SQLite connection string into the one it opens.</summary>
public sealed class SqliteFileAccessTests
{
    [Theory]
    [InlineData("/var/lib/jobgateway/gateway.db", "file:/var/lib/jobgateway/gateway.db?vfs=unix-excl")]
    [InlineData("/data/odd name?#%.db", "file:/data/odd name%3F%23%25.db?vfs=unix-excl")]
    [InlineData("file:/data/gateway.db", "file:/data/gateway.db?vfs=unix-excl")]
    [InlineData("file:/data/gateway.db?cache=private", "file:/data/gateway.db?cache=private&vfs=unix-excl")]
    [InlineData("file:/data/gateway.db?vfs=unix-dotfile", "file:/data/gateway.db?vfs=unix-dotfile")]
    public void Exclusive_OpensTheFileThroughUnixExcl_AndKeepsItsPath(string dataSource, string expected)
    {
        var applied = SqliteFileAccess.Apply($"Data Source={dataSource};Cache=Shared", exclusive: true);
        var builder = new SqliteConnectionStringBuilder(applied);
        Assert.Equal(expected, builder.DataSource);
        Assert.Equal(SqliteCacheMode.Shared, builder.Cache);

        // The file the URI names is the one configured.
        var configured = dataSource.StartsWith("file:", StringComparison.Ordinal) ? dataSource[5..].Split('?')[0] : dataSource;
        Assert.Equal(configured, SqliteFileAccess.FilePath(applied));
    }

    [Fact]
    public void Exclusive_ResolvesARelativePath_AsSqliteWould()
    {
        var applied = SqliteFileAccess.Apply("Data Source=data/gateway.db", exclusive: true);
        Assert.Equal(Path.GetFullPath("data/gateway.db"), SqliteFileAccess.FilePath(applied));
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=shared;Mode=Memory")]
    [InlineData("Data Source=file:memdb1?mode=memory&cache=shared")]
    public void InMemoryDatabases_AreLeftAsConfigured(string connectionString)
    {
        Assert.Equal(connectionString, SqliteFileAccess.Apply(connectionString, exclusive: true));
        Assert.Null(SqliteFileAccess.FilePath(connectionString));
    }

    [Fact]
    public void NotExclusive_LeavesTheConnectionStringAlone()
    {
        Assert.Equal("Data Source=/data/gateway.db", SqliteFileAccess.Apply("Data Source=/data/gateway.db", exclusive: false));
    }

    [Theory]
    [InlineData("file:///data/gateway.db?vfs=unix-excl", "/data/gateway.db")]
    [InlineData("file://localhost/data/gateway.db", "/data/gateway.db")]
    [InlineData("file:data/gateway.db#frag", "data/gateway.db")]
    [InlineData("/plain/gateway.db", "/plain/gateway.db")]
    public void FilePath_ReadsEveryFormOfUri(string dataSource, string expected)
    {
        Assert.Equal(expected, SqliteFileAccess.FilePath($"Data Source={dataSource}"));
    }
}
