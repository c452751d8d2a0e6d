using System.ComponentModel.DataAnnotations;

namespace JobGateway.Dashboard;

/// <summary>The operators' dashboard (<c>Gateway:Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    public const string Section = "Gateway:Dashboard";

    /// <summary>Whether <c>/dashboard</c> is served.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a sign-in lasts without use, in minutes (each visit extends it).</summary>
    [Range(1, 7 * 24 * 60)]
    public int SessionMinutes { get; set; } = 8 * 60;

    /// <summary>
    /// A directory every instance shares for the keys that protect the sign-in cookie and the forms' antiforgery
    /// tokens (ASP.NET Data Protection). Empty: ASP.NET's default, a key ring of this machine's own, which is right for
    /// one instance; behind a load balancer without sticky sessions, set it, or a cookie issued by one instance is
    /// refused by the others.
    /// </summary>
    public string? KeyRingPath { get; set; }

    /// <summary>External workers seen by the worker API within this many minutes are listed.</summary>
    [Range(1, 24 * 60)]
    public int WorkersSeenMinutes { get; set; } = 10;
}
