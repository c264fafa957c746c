namespace Engine.Tests;

/// <summary>
/// Base of test classes that write files: each test (xunit makes a new instance per test) gets a fresh
/// temporary folder, <see cref="Dir"/>, deleted with everything in it afterwards.
/// </summary>
public abstract class TempDirectoryTests(string prefix) : IDisposable
{
    /// <summary>The test's own temporary folder.</summary>
    protected string Dir { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
