using Microsoft.Playwright;

namespace JobGateway.Api.Tests.Infrastructure;

/// <summary>The system's Chromium (Debian's), headless, as Playwright drives it in the browser tests.</summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    private static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    /// <summary>Launches it; fails with the install hint when it is missing.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        Assert.True(File.Exists(Path), $"{Path} is missing: apt-get install chromium (scripts/test.sh does).");
        return playwright.Chromium.LaunchAsync(new() { ExecutablePath = Path, Headless = true, Args = Args });
    }
}
