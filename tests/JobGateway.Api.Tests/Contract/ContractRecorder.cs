using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace JobGateway.Api.Tests.Contract;

/// <summary>
/// Checks every answer a test host gives to a REST operation against the document that host serves
/// (<see cref="OpenApiContract"/>), and remembers which operations answered with which statuses. Every
/// <see cref="Infrastructure.GatewayFactory"/> has one, so every API test of the suite is also a conformance test:
/// an answer the document does not describe fails the call that received it (for the factory's clients, through
/// <see cref="ContractCheckingHandler"/>) and, for any other client, the host when it is disposed.
/// </summary>
public sealed class ContractRecorder(Func<Task<string>> loadDocument)
{
    /// <summary>The request header that ties an answer's violations to the call that received it.</summary>
    public const string RequestIdHeader = "X-Contract-Check";

    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentDictionary<string, string[]> _byRequest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Operation, int Status), int> _observed = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private OpenApiContract? _contract;

    /// <summary>The answers that broke the contract, one line each.</summary>
    public IReadOnlyCollection<string> Violations => _violations;

    /// <summary>The operations that answered, with each status they answered with.</summary>
    public IReadOnlyCollection<(string Operation, int Status)> Observed => _observed.Keys.ToArray();

    /// <summary>The served document (loaded on the first answer to check).</summary>
    public async Task<OpenApiContract> ContractAsync()
    {
        if (_contract is not null)
        {
            return _contract;
        }

        await _loading.WaitAsync();
        try
        {
            return _contract ??= new OpenApiContract(await loadDocument());
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>The violations of the answer to the request that sent <paramref name="requestId"/> in <see cref="RequestIdHeader"/>.</summary>
    public string[] TakeViolations(string requestId) => _byRequest.TryRemove(requestId, out var found) ? found : [];

    /// <summary>Fails with every violation seen so far.</summary>
    public void AssertNoViolations()
    {
        if (!_violations.IsEmpty)
        {
            throw new ContractViolationException(_violations.ToArray());
        }
    }

    internal async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.PathBase.Add(context.Request.Path).Value ?? "/";
        if (path.StartsWith("/swagger", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/health", StringComparison.OrdinalIgnoreCase)
            || !(path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/v2/", StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }

        // The answer is held until it is checked, so a client never sees an answer whose violations are not yet known.
        var original = context.Response.Body;
        using var held = new MemoryStream();
        context.Response.Body = new HoldingStream(held);
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var contract = await ContractAsync();
        var operation = contract.Find(context.Request.Method, path);
        if (operation is not null)
        {
            Check(context, path, contract, operation, held.ToArray());
        }

        held.Position = 0;
        await held.CopyToAsync(original, context.RequestAborted);
    }

    private void Check(HttpContext context, string path, OpenApiContract contract, OpenApiContract.Operation operation, byte[] body)
    {
        _observed.AddOrUpdate((operation.Id, context.Response.StatusCode), 1, (_, n) => n + 1);
        var response = context.Response;
        var problems = contract.Check(
            operation,
            response.StatusCode,
            response.ContentType,
            name => response.Headers.TryGetValue(name, out var value) ? value.ToString() : null,
            body);
        if (problems.Count == 0)
        {
            return;
        }

        var lines = problems.Select(p => $"{context.Request.Method} {path}{context.Request.QueryString} ({operation.Id}) answered {response.StatusCode}: {p}").ToArray();
        foreach (var line in lines)
        {
            _violations.Enqueue(line);
        }

        if (context.Request.Headers.TryGetValue(RequestIdHeader, out var requestId))
        {
            _byRequest[requestId.ToString()] = lines;
        }
    }

    /// <summary>Keeps what the application writes; flushing sends nothing until the answer is checked.</summary>
    private sealed class HoldingStream(MemoryStream held) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => held.Length;

        public override long Position { get => held.Length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => held.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            held.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            held.Write(buffer, offset, count);
            return Task.CompletedTask;
        }
    }
}

/// <summary>Puts a <see cref="ContractRecorder"/> in front of the host's pipeline.</summary>
internal sealed class ContractStartupFilter(ContractRecorder recorder) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) => recorder.InvokeAsync(context, nextMiddleware));
        next(app);
    };
}

/// <summary>Fails a call whose answer broke the contract, with what was wrong (for the clients of the test factory).</summary>
public sealed class ContractCheckingHandler(ContractRecorder recorder) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        request.Headers.Add(ContractRecorder.RequestIdHeader, id);
        var response = await base.SendAsync(request, cancellationToken);
        var violations = recorder.TakeViolations(id);
        if (violations.Length > 0)
        {
            response.Dispose();
            throw new ContractViolationException(violations);
        }

        return response;
    }
}

/// <summary>Answers that are not what the served OpenAPI document says.</summary>
public sealed class ContractViolationException(IReadOnlyList<string> violations)
    : Exception($"{violations.Count} answer(s) broke the OpenAPI contract:{Environment.NewLine}{string.Join(Environment.NewLine, violations.Take(50))}");
