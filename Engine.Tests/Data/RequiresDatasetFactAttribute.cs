namespace Engine.Tests.Data;

/// <summary>
/// A fact that needs a file from the shared datasets folder (<c>../shared/datasets/</c> beside the repository);
/// it is skipped, saying which file is missing, when the folder or the file is absent.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresDatasetFactAttribute : FactAttribute
{
    public RequiresDatasetFactAttribute(string fileName)
    {
        FileName = fileName;
        if (DataFiles.Shared(fileName) is null)
            Skip = $"Dataset '{fileName}' not found in ../shared/datasets/ above {DataFiles.RepoRoot}; copy it there to run this test.";
    }

    /// <summary>The dataset file this test reads.</summary>
    public string FileName { get; }
}
