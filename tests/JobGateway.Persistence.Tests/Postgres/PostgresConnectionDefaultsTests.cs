using JobGateway.Persistence.Postgres;
using Npgsql;

namespace JobGateway.Persistence.Tests.Postgres;

/// <summary>The Npgsql settings the gateway adds to an operator's connection string, and the ones it leaves alone.</summary>
public sealed class PostgresConnectionDefaultsTests
{
    [Fact]
    public void WhatTheConnectionStringDoesNotGive_GetsTheGatewaysDefaults_AndTheRestIsKept()
    {
        var applied = new NpgsqlConnectionStringBuilder(
            PostgresConnectionDefaults.Apply("Host=db.internal;Port=6432;Username=gw;Password='s3cr;et';Database=jobs;Maximum Pool Size=40"));

        Assert.Equal((20, true), (applied.MaxAutoPrepare, applied.NoResetOnClose));
        Assert.Equal(("db.internal", 6432, "gw", "jobs", 40), (applied.Host, applied.Port, applied.Username, applied.Database, applied.MaxPoolSize));
        Assert.Equal("s3cr;et", applied.Password);
    }

    [Theory]
    [InlineData("Host=h;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=h;maxautoprepare=0;NORESETONCLOSE=false")]
    public void WhatTheConnectionStringGives_IsKept(string connectionString)
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply(connectionString));

        Assert.Equal((0, false), (applied.MaxAutoPrepare, applied.NoResetOnClose));
    }
}
