using JobGateway.Soap.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Soap;

/// <summary>
/// The reply writer's fast lane against the XmlWriter it stands in for: where it writes, the bytes are the same;
/// where the text needs escaping or normalising, it refuses and the XmlWriter writes the reply.
/// </summary>
public sealed class SoapReplyWriterTests
{
    private sealed record Inner(string? Code, DateTimeOffset? At);

    private sealed record Outer(string? Text, long Number, bool Flag, DateTimeOffset? When, Inner? Child);

    private sealed class Echo
    {
        public Outer? Value { get; set; }
    }

    private static readonly SoapComplexType<Inner> InnerType = new(
        "Inner",
        SoapMember<Inner>.String("code", i => i.Code),
        SoapMember<Inner>.NullableDateTime("at", i => i.At));

    private static readonly SoapOperation<Echo, int, Outer> Operation = new()
    {
        Name = "probe",
        Documentation = "Echoes a value.",
        Parameters = [],
        Result = new SoapComplexType<Outer>(
            "ProbeResult",
            SoapMember<Outer>.String("text", o => o.Text),
            SoapMember<Outer>.Long("number", o => o.Number),
            SoapMember<Outer>.Boolean("flag", o => o.Flag),
            SoapMember<Outer>.NullableDateTime("when", o => o.When),
            SoapMember<Outer>.Complex("child", InnerType, o => o.Child)),
        Bind = _ => 0,
        Invoke = (echo, _, _) => Task.FromResult(echo.Value!),
    };

    private static readonly SoapServiceDescription Service = new()
    {
        Name = "Probe Service",
        Namespace = "urn:probe",
        Path = "/probe.asmx",
        Operations = [Operation],
    };

    public static TheoryData<string?> PlainTexts => new() { null, "", "abc", "job 42", "quote\"'s", "~ !#$%()*+,-./:;=?@[\\]^_`{|}" };

    public static TheoryData<string> TextsForTheXmlWriter => new() { "a&b", "x<y", "x>y", "]]>", "tab\there", "line\nbreak", "crlf\r\n", "é", "\U0001F600", "del\u007f" };

    [Theory]
    [MemberData(nameof(PlainTexts))]
    public async Task PlainText_IsWrittenOnTheFastLane_ByteForByte(string? text)
    {
        foreach (var version in new[] { SoapVersion.Soap11, SoapVersion.Soap12 })
        {
            foreach (var value in Values(text))
            {
                var (fast, slow) = await WriteBoth(version, value);

                Assert.NotNull(fast);
                Assert.Equal(slow, fast);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TextsForTheXmlWriter))]
    public async Task TextNeedingEscapes_IsLeftToTheXmlWriter(string text)
    {
        foreach (var value in Values(text))
        {
            var (fast, slow) = await WriteBoth(SoapVersion.Soap11, value);

            Assert.Null(fast);
            Assert.Contains("<soap:Body><probeResponse xmlns=\"urn:probe\"><probeResult>", slow, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NilDatesAndEmptyChildren_SelfCloseAsTheXmlWriterDoes()
    {
        var (fast, slow) = await WriteBoth(SoapVersion.Soap11, new Outer("", 0, false, null, new Inner(null, null)));

        Assert.Equal(slow, fast);
        Assert.Contains("<text /><number>0</number><flag>false</flag><when xsi:nil=\"true\" /><child><at xsi:nil=\"true\" /></child>", fast, StringComparison.Ordinal);
    }

    public static TheoryData<double> Doubles => new()
    {
        0d, -0d, 1d, -1d, 42d, 299d, 300d, 123456789d, 999_999_999_999_999d, 1e15, -1e15, 1e16, 9_007_199_254_740_993d,
        0.5, -2.25, 1.0 / 3, 1e-7, double.Epsilon, double.MaxValue, double.MinValue, double.NaN, double.PositiveInfinity,
        double.NegativeInfinity,
    };

    [Theory]
    [MemberData(nameof(Doubles))]
    public void ADouble_IsWrittenAsXmlConvertWritesIt(double value) =>
        Assert.Equal(System.Xml.XmlConvert.ToString(value), XsdTypes.Format(value));

    /// <summary>Values carrying <paramref name="text"/> at the top and nested.</summary>
    private static IEnumerable<Outer> Values(string? text) =>
    [
        new Outer(text, 42, true, new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), new Inner("ok", null)),
        new Outer("ok", -1, false, null, new Inner(text, new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2)))),
        new Outer(text, long.MaxValue, false, null, null),
    ];

    /// <summary>The fast lane's reply (null when it refused) and the XmlWriter's, as text.</summary>
    private static async Task<(string? Fast, string Slow)> WriteBoth(SoapVersion version, Outer value)
    {
        await using var services = new ServiceCollection().AddSingleton(new Echo { Value = value }).BuildServiceProvider();
        var result = await Operation.InvokeAsync(services, SoapArguments.From([], _ => null), CancellationToken.None);

        using var slow = new MemoryStream();
        SoapMessageWriter.WriteResponse(slow, version, Service, Operation, result);

        using var buffer = new SoapReplyBuffer(16);
        var fast = SoapMessageWriter.TryWriteResponse(buffer, SoapMessageWriter.Frame(version, Service, Operation), result)
            ? System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan)
            : null;
        return (fast, System.Text.Encoding.UTF8.GetString(slow.ToArray()));
    }
}
