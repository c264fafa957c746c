namespace Engine.Tests.Data;

/// <summary>Where the repository and its datasets are, and temporary CSV files for the tests.</summary>
internal static class DataFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Engine.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Engine.sln not found above {AppContext.BaseDirectory}.");
    });

    /// <summary>The folder holding Engine.sln.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>A file in the repository's data/ folder.</summary>
    public static string Small(string name) => Path.Combine(RepoRoot, "data", name);

    /// <summary>
    /// A file of the shared datasets: <c>../shared/datasets/</c> from the repository root, or from a folder above
    /// it (a git worktree lives deeper than the main checkout). Null when absent.
    /// </summary>
    public static string? Shared(string name)
    {
        for (var dir = Directory.GetParent(RepoRoot); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "datasets", name);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}

/// <summary>A temporary folder, deleted with the test class.</summary>
public sealed class TempFolder : IDisposable
{
    private int _count;

    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "engine-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="bytes"/> to a new file whose name ends in <paramref name="suffix"/>.</summary>
    public string Write(byte[] bytes, string suffix = ".csv")
    {
        string file = System.IO.Path.Combine(Path, $"t{Interlocked.Increment(ref _count)}{suffix}");
        File.WriteAllBytes(file, bytes);
        return file;
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a BOM.</summary>
    public string Write(string text, string suffix = ".csv") => Write(new UTF8Encoding(false).GetBytes(text), suffix);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Small builders for datasets in memory.</summary>
internal static class Datasets
{
    public static Dataset Classification(int[] labels, int features = 2, ulong seed = 1)
    {
        var rng = new Rng(seed);
        var x = new Matrix<float>(labels.Length, features);
        var y = new Matrix<float>(labels.Length, 1);
        for (int i = 0; i < labels.Length; i++)
        {
            for (int j = 0; j < features; j++)
                x[i, j] = (float)rng.NextNormal(j, j + 1);
            y[i, 0] = labels[i];
        }
        int classes = labels.Max() + 1;
        return new Dataset(x, y, [.. Enumerable.Range(0, features).Select(j => $"f{j}")], "y", TaskKind.Classification,
            [.. Enumerable.Range(0, classes).Select(c => $"c{c}")], "memory");
    }

    /// <summary>Row i has features (i, −i) and target i, so rows can be recognised after shuffling.</summary>
    public static Dataset Numbered(int rows)
    {
        var x = new Matrix<float>(rows, 2);
        var y = new Matrix<float>(rows, 1);
        for (int i = 0; i < rows; i++)
        {
            x[i, 0] = i;
            x[i, 1] = -i;
            y[i, 0] = i;
        }
        return new Dataset(x, y, ["a", "b"], "y", TaskKind.Regression, null, "memory");
    }
}
