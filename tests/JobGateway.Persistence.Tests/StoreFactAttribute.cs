using JobGateway.Persistence.Tests.Postgres;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace JobGateway.Persistence.Tests;

/// <summary>
/// A store test. It runs on every provider its class is made for; in a class on
/// <see cref="PostgresStoreFixture"/> it is skipped, with a message, when no PostgreSQL server is configured
/// (and fails instead under CI=true, see <see cref="PostgresServer"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("JobGateway.Persistence.Tests.StoreFactDiscoverer", "JobGateway.Persistence.Tests")]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Finds <see cref="StoreFactAttribute"/> tests; the skip depends on the test class, not on the method.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        new StoreTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
}

/// <summary>A test case that is skipped when its class needs PostgreSQL and none is configured.</summary>
public sealed class StoreTestCase : XunitTestCase
{
    [Obsolete("For the de-serializer only.")]
    public StoreTestCase()
    {
    }

    public StoreTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    protected override string? GetSkipReason(IAttributeInfo factAttribute) =>
        typeof(IClassFixture<PostgresStoreFixture>).IsAssignableFrom(TestMethod.TestClass.Class.ToRuntimeType()) && PostgresServer.SkipReason is { } reason
            ? reason
            : base.GetSkipReason(factAttribute);
}
