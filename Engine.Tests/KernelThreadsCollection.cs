namespace Engine.Tests;

/// <summary>
/// Tests that read or change the process-wide <see cref="KernelOptions.MaxThreads"/>: they run one at a time, never
/// beside each other (a test that sets it would change what another reads back).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelThreadsCollection
{
    public const string Name = "KernelOptions.MaxThreads";
}
