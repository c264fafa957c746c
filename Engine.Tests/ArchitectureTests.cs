using System.Text.RegularExpressions;

namespace Engine.Tests;

/// <summary>
/// The library's folders depend on each other only as the table in docs/architecture.md allows: every
/// <c>using Engine.X;</c> and every qualified <c>X.Type</c> (a type of namespace Engine.X) in a folder's files
/// must name a folder on that folder's row.
/// </summary>
public sealed partial class ArchitectureTests
{
    [Fact]
    public void FoldersUseOnlyWhatTheArchitectureTableAllows()
    {
        var allowed = ReadTable(File.ReadAllText(Path.Combine(DataFiles.RepoRoot, "docs", "architecture.md")));
        string engine = Path.Combine(DataFiles.RepoRoot, "Engine");
        var folders = Directory.GetDirectories(engine).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToArray();
        Assert.Equal(folders.Order(), allowed.Keys.Order()); // every folder has a row, every row a folder

        var sources = folders.SelectMany(f => Directory.GetFiles(Path.Combine(engine, f!), "*.cs", SearchOption.AllDirectories)
            .Select(path => new Source(f!, Path.GetRelativePath(DataFiles.RepoRoot, path), File.ReadAllText(path))));
        var violations = Violations(sources, allowed, TypesByFolder());
        Assert.True(violations.Count == 0, "Reverse or undeclared references:\n" + string.Join("\n", violations));
    }

    [Theory]
    [InlineData("Kernels", "using Engine.Layers;\nnamespace Engine.Kernels;", "Layers")]
    [InlineData("Serialization", "namespace Engine.Serialization;\nclass X { void F() => Tabular.TabularModel.Load(\"m\"); }", "Tabular")]
    [InlineData("Initializers", "namespace Engine.Initializers;\nclass X { Engine.Diagnostics.Statistics? s; }", "Diagnostics")]
    [InlineData("Training", "using Engine.Tabular;\nnamespace Engine.Training;", "Tabular")]
    [InlineData("Data", "namespace Engine.Data;\n/// <summary>See <see cref=\"Training.Trainer\"/>.</summary>\nclass X { }", "Training")]
    public void AReverseReferenceIsCaught(string folder, string code, string offending)
    {
        var allowed = ReadTable(File.ReadAllText(Path.Combine(DataFiles.RepoRoot, "docs", "architecture.md")));
        var violations = Violations([new Source(folder, $"Engine/{folder}/Planted.cs", code)], allowed, TypesByFolder());
        var violation = Assert.Single(violations);
        Assert.Contains($"uses {offending}", violation);
    }

    [Fact]
    public void AllowedReferencesAndCommentsAreNotViolations()
    {
        var allowed = ReadTable(File.ReadAllText(Path.Combine(DataFiles.RepoRoot, "docs", "architecture.md")));
        const string code = """
            using Engine.Data;
            using Engine.Layers;
            namespace Engine.Serialization;
            // a comment may say Engine.Training or Tabular.TabularModel freely
            /// <summary>and so may doc prose: <c>Training.Trainer</c></summary>
            class X { int Layers => Layers.Count; string Text = "Training.Trainer"; }
            """;
        Assert.Empty(Violations([new Source("Serialization", "Engine/Serialization/Fine.cs", code)], allowed, TypesByFolder()));
    }

    private sealed record Source(string Folder, string Path, string Text);

    // In the section "## Inside the library": "| `Layers/` | … | Tensors, Kernels, Initializers |" → Layers: {Tensors, Kernels, Initializers}
    private static Dictionary<string, HashSet<string>> ReadTable(string markdown)
    {
        int start = markdown.IndexOf("## Inside the library", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/architecture.md has no section '## Inside the library'.");
        int end = markdown.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        string section = end < 0 ? markdown[start..] : markdown[start..end];
        var rules = new Dictionary<string, HashSet<string>>();
        foreach (Match m in TableRow().Matches(section))
        {
            string uses = m.Groups["uses"].Value;
            rules[m.Groups["folder"].Value] = uses.Trim() == "nothing"
                ? []
                : [.. uses.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        }
        return rules;
    }

    // Namespace Engine.X's type names (without generic arity), per folder X.
    private static Dictionary<string, HashSet<string>> TypesByFolder() =>
        typeof(Matrix<>).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("Engine.", StringComparison.Ordinal) == true && !t.IsNested)
            .GroupBy(t => t.Namespace!["Engine.".Length..])
            .ToDictionary(g => g.Key, g => g.Select(t => t.Name.Split('`')[0]).ToHashSet());

    private static List<string> Violations(IEnumerable<Source> sources, Dictionary<string, HashSet<string>> allowed,
        Dictionary<string, HashSet<string>> types)
    {
        var found = new List<string>();
        foreach (var source in sources)
        {
            string code = Code(source.Text);
            var used = new SortedSet<string>(StringComparer.Ordinal);
            foreach (Match m in UsingOrQualified().Matches(code))
                used.Add(m.Groups["folder"].Value);
            foreach (Match m in PartlyQualified().Matches(code))
            {
                string folder = m.Groups["folder"].Value;
                if (types.TryGetValue(folder, out var names) && names.Contains(m.Groups["type"].Value))
                    used.Add(folder);
            }
            foreach (string folder in used)
            {
                if (folder != source.Folder && !(allowed.TryGetValue(source.Folder, out var ok) && ok.Contains(folder)))
                    found.Add($"{source.Path} ({source.Folder}) uses {folder}");
            }
        }
        return found;
    }

    // The code without comments and string literals; of a /// doc comment only its cref targets stay (they are
    // references the compiler resolves), not its prose.
    private static string Code(string text)
    {
        string withoutDocProse = DocComment().Replace(text, m => string.Join(" ", Cref().Matches(m.Value).Select(c => c.Groups["target"].Value)));
        return StringLiteral().Replace(LineComment().Replace(withoutDocProse, ""), "\"\"");
    }

    [GeneratedRegex(@"///.*$", RegexOptions.Multiline)]
    private static partial Regex DocComment();

    [GeneratedRegex(@"cref=""(?<target>[^""]*)""")]
    private static partial Regex Cref();

    [GeneratedRegex(@"^\| `(?<folder>\w+)/` \|.*\| (?<uses>[^|]+) \|\s*$", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"\bEngine\.(?<folder>[A-Z]\w*)\b")]
    private static partial Regex UsingOrQualified();

    [GeneratedRegex(@"(?<![\w.])(?<folder>[A-Z]\w*)\.(?<type>[A-Z]\w*)")]
    private static partial Regex PartlyQualified();

    [GeneratedRegex(@"(?<!/)//(?!/).*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex(@"""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex StringLiteral();
}
