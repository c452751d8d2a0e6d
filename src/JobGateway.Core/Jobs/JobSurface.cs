namespace JobGateway.Core.Jobs;

/// <summary>The surface a job was created through. Stored with the job; operators filter and count by it.</summary>
public enum JobSurface
{
    /// <summary>The native jobs API (<c>POST /api/jobs</c>).</summary>
    Native = 0,

    /// <summary>Elastic Path subscription jobs (<c>POST /v2/subscriptions/jobs</c>).</summary>
    ElasticPath = 1,

    /// <summary>T2A's SOAP <c>job_create</c>.</summary>
    SoapT2A = 2,

    /// <summary>A 2sms account task run started by hand over its API (<c>run?id=</c>).</summary>
    AccountTask = 3,

    /// <summary>A recurring account task's occurrence, fired by the scheduler.</summary>
    Scheduler = 4,

    /// <summary>An account task run started by hand from the dashboard.</summary>
    Dashboard = 5,
}

/// <summary>The names of <see cref="JobSurface"/> values on the wire: metric labels, dashboard filters and links.</summary>
public static class JobSurfaces
{
    /// <summary>Every surface, in declaration order.</summary>
    public static IReadOnlyList<JobSurface> All { get; } = Enum.GetValues<JobSurface>();

    /// <summary>The surface's name: lower case, words joined by <c>-</c>.</summary>
    public static string Name(JobSurface surface) => surface switch
    {
        JobSurface.Native => "native",
        JobSurface.ElasticPath => "elastic-path",
        JobSurface.SoapT2A => "soap-t2a",
        JobSurface.AccountTask => "2sms-task",
        JobSurface.Scheduler => "scheduler",
        JobSurface.Dashboard => "dashboard",
        _ => throw new ArgumentOutOfRangeException(nameof(surface), surface, null),
    };

    /// <summary>The surface with this <see cref="Name"/> (ordinal, case-insensitive), or null.</summary>
    public static JobSurface? Parse(string? name)
    {
        foreach (var surface in All)
        {
            if (string.Equals(Name(surface), name, StringComparison.OrdinalIgnoreCase))
            {
                return surface;
            }
        }

        return null;
    }
}
