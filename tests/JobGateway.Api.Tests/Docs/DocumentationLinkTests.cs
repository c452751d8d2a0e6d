using System.Text.RegularExpressions;
using JobGateway.Api.Tests.Contract;

namespace JobGateway.Api.Tests.Docs;

/// <summary>README.md and docs/: every relative link resolves to a file of the repository, and nothing points outside it.</summary>
public sealed partial class DocumentationLinkTests
{
    public static TheoryData<string> Documents()
    {
        var root = ContractSnapshotTests.RepositoryRoot;
        var data = new TheoryData<string> { "README.md" };
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(root, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryRelativeLink_ResolvesInsideTheRepository(string document)
    {
        var root = Path.GetFullPath(ContractSnapshotTests.RepositoryRoot);
        var path = Path.Combine(root, document);
        var text = File.ReadAllText(path);
        var broken = new List<string>();
        foreach (Match link in Link().Matches(text))
        {
            var target = link.Groups[1].Value;
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith('#') || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            var file = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, target.Split('#')[0]));
            if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !(File.Exists(file) || Directory.Exists(file)))
            {
                broken.Add(target);
            }
        }

        Assert.True(broken.Count == 0, $"{document} links to what the repository does not have: {string.Join(", ", broken)}");
        Assert.DoesNotContain("../shared", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReadme_FitsOnAFewScreens()
    {
        var lines = File.ReadAllLines(Path.Combine(ContractSnapshotTests.RepositoryRoot, "README.md"));
        Assert.True(lines.Length <= 220, $"README.md has {lines.Length} lines; move detail to docs/");
    }

    // [text](target) outside code spans; the target up to the closing parenthesis or a title.
    [GeneratedRegex(@"\]\(([^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();
}
