using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace JobGateway.Dashboard;

/// <summary>
/// The dashboard's stylesheet and script, embedded in this assembly and served by the gateway itself. Their URLs
/// carry a hash of the content, so a browser may keep them for a year and still sees a new version at once.
/// </summary>
public sealed class DashboardAssets
{
    private const string ResourcePrefix = "JobGateway.Dashboard.Assets.";

    private readonly FrozenDictionary<string, Asset> _assets;

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        _assets = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var bytes = copy.ToArray();
                var name = n[ResourcePrefix.Length..];
                var version = Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
                return new Asset(name, bytes, ContentType(name), version);
            })
            .ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
    }

    /// <summary>The versioned URL of an asset, e.g. <c>/dashboard/assets/dashboard.css?v=…</c>.</summary>
    public string Url(string name) => $"{DashboardModule.PathBase}/assets/{name}?v={_assets[name].Version}";

    internal IResult Serve(string name, HttpContext context)
    {
        if (!_assets.TryGetValue(name, out var asset))
        {
            return Results.NotFound();
        }

        var etag = new EntityTagHeaderValue($"\"{asset.Version}\"");
        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(asset.Content, asset.ContentType, entityTag: etag);
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(string Name, byte[] Content, string ContentType, string Version);
}
