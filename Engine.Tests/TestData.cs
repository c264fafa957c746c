namespace Engine.Tests;

/// <summary>Paths to the repository's data/ folder, to ../shared/datasets and to files kept beside the tests.</summary>
internal static class TestData
{
    public static string RepoRoot { get; } = FindRoot();

    public static string DataFile(string name) => Path.Combine(RepoRoot, "data", name);

    /// <summary>A path below Engine.Tests/ in the repository, e.g. <c>TestsFile("Fixtures", "iris-relu.mlp")</c>.</summary>
    public static string TestsFile(params string[] parts) => Path.Combine([RepoRoot, "Engine.Tests", .. parts]);

    public static string SharedDataset(string name) => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "datasets", name));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Engine.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Engine.sln not found above {AppContext.BaseDirectory}.");
    }
}
