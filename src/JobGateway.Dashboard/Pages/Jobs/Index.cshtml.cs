using System.Globalization;
using JobGateway.Core.Clients;
using JobGateway.Core.Jobs;
using JobGateway.Core.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace JobGateway.Dashboard.Pages.Jobs;

/// <summary>Jobs, newest first, filtered by status, type, client, surface and external reference; it refreshes itself.</summary>
public sealed class IndexModel(IOperationsStore store, IClientStore clients) : DashboardPage
{
    private const int MaxTypeLength = 64;
    private const int MaxExternalRefLength = 256;

    [BindProperty(SupportsGet = true, Name = "status")]
    public string[] Status { get; set; } = [];

    [BindProperty(SupportsGet = true, Name = "type")]
    public string? Type { get; set; }

    [BindProperty(SupportsGet = true, Name = "client")]
    public Guid? Client { get; set; }

    [BindProperty(SupportsGet = true, Name = "surface")]
    public string? Surface { get; set; }

    [BindProperty(SupportsGet = true, Name = "ref")]
    public string? ExternalRef { get; set; }

    [BindProperty(SupportsGet = true, Name = "before")]
    public long? Before { get; set; }

    [BindProperty(SupportsGet = true, Name = "after")]
    public long? After { get; set; }

    [BindProperty(SupportsGet = true, Name = "size")]
    public int? Size { get; set; }

    /// <summary>The page of jobs shown.</summary>
    public JobBrowsePage Results { get; private set; } = new([], false, false);

    /// <summary>Every client, by name (for an admin's filter and column).</summary>
    public IReadOnlyList<Client> Clients { get; private set; } = [];

    /// <summary>Why the filters were refused, if they were.</summary>
    public string? FilterError { get; private set; }

    /// <summary>The URL the rows refresh themselves from.</summary>
    public string RowsUrl => Request.Path + Request.QueryString.Add("handler", "rows").ToUriComponent();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        ViewData["Section"] = "jobs";
        await LoadAsync(cancellationToken);
        if (FilterError is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    /// <summary>The rows and the pager alone, for the page to refresh itself.</summary>
    public async Task<IActionResult> OnGetRowsAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Partial("_JobRows", this);
    }

    /// <summary>The name of a client, or its id when it is gone.</summary>
    public string ClientName(Guid clientId) => Clients.FirstOrDefault(c => c.Id == clientId)?.Name ?? clientId.ToString();

    /// <summary>This list with the same filters, paged by <paramref name="before"/> or <paramref name="after"/>.</summary>
    public string PageLink(long? before, long? after)
    {
        var query = new List<KeyValuePair<string, StringValues>>();
        query.AddRange(Status.Select(s => new KeyValuePair<string, StringValues>("status", s)));
        Add(query, "type", Type);
        Add(query, "client", Client?.ToString());
        Add(query, "surface", Surface);
        Add(query, "ref", ExternalRef);
        Add(query, "size", Size?.ToString(CultureInfo.InvariantCulture));
        Add(query, "before", before?.ToString(CultureInfo.InvariantCulture));
        Add(query, "after", after?.ToString(CultureInfo.InvariantCulture));
        return QueryHelpers.AddQueryString(DashboardModule.PathBase + "/jobs", query);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (Operator.IsAdmin)
        {
            Clients = [.. (await clients.ListClientsAsync(cancellationToken)).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)];
        }

        if (Query() is not { } query)
        {
            return;
        }

        Results = await store.BrowseAsync(Operator.Scope, query, cancellationToken);
    }

    // The filters as a query, or null (and FilterError says why) when one of them is not valid.
    private JobBrowseQuery? Query()
    {
        if (!ModelState.IsValid)
        {
            FilterError = "The filters are not valid: " + string.Join("; ", ModelState
                .Where(e => e.Value?.Errors.Count > 0)
                .Select(e => $"{e.Key} '{e.Value!.AttemptedValue}'"));
            return null;
        }

        var statuses = new List<JobStatus>();
        foreach (var name in Status.Where(s => !string.IsNullOrWhiteSpace(s)))
        {
            if (Display.ParseStatus(name) is not { } status)
            {
                FilterError = $"Unknown status '{name}': use pending, running, succeeded, failed or cancelled.";
                return null;
            }

            statuses.Add(status);
        }

        JobSurface? surface = null;
        if (!string.IsNullOrWhiteSpace(Surface))
        {
            surface = JobSurfaces.Parse(Surface.Trim());
            if (surface is null)
            {
                FilterError = $"Unknown surface '{Surface}': use {string.Join(", ", JobSurfaces.All.Select(JobSurfaces.Name))}.";
                return null;
            }
        }

        var type = string.IsNullOrWhiteSpace(Type) ? null : Type.Trim();
        var externalRef = string.IsNullOrWhiteSpace(ExternalRef) ? null : ExternalRef.Trim();
        if (type?.Length > MaxTypeLength || externalRef?.Length > MaxExternalRefLength)
        {
            FilterError = $"A type is at most {MaxTypeLength} characters and an external reference at most {MaxExternalRefLength}.";
            return null;
        }

        return new JobBrowseQuery
        {
            Statuses = statuses,
            Type = type,
            ClientId = Client,
            Surface = surface,
            ExternalRef = externalRef,
            Before = Before,
            After = Before is null ? After : null,
            Limit = Math.Clamp(Size ?? 25, 1, JobBrowseQuery.MaxPageSize),
        };
    }

    private static void Add(List<KeyValuePair<string, StringValues>> query, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            query.Add(new KeyValuePair<string, StringValues>(name, value));
        }
    }
}
