using JobGateway.Core.Jobs;

namespace JobGateway.Soap;

/// <summary>
/// Per-dialect overrides of the status words the SOAP services answer with (section <c>Soap:StatusWords</c>),
/// e.g. <c>Soap:StatusWords:DiscountAsp:Succeeded=Done</c> or <c>Soap:StatusWords:MagnetMail:Cancelled=-1</c>.
/// A status without an override keeps the dialect's default.
/// </summary>
public sealed class StatusWordOptions
{
    public const string Section = "Soap:StatusWords";

    /// <summary>DiscountASP <c>Status</c> words by canonical status.</summary>
    public Dictionary<JobStatus, string> DiscountAsp { get; } = [];

    /// <summary>MagnetMail <c>status</c> codes by canonical status.</summary>
    public Dictionary<JobStatus, int> MagnetMail { get; } = [];
}
