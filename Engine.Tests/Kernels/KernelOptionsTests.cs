namespace Engine.Tests.Kernels;

[Collection(KernelThreadsCollection.Name)]
public class KernelOptionsTests
{
    [Fact]
    public void MaxThreadsRejectsLessThanOne()
    {
        int before = KernelOptions.MaxThreads;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => KernelOptions.MaxThreads = 0);
        Assert.Contains("got 0", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelOptions.MaxThreads = -2);
        Assert.Equal(before, KernelOptions.MaxThreads);
        Assert.True(KernelOptions.MaxThreads >= 1);
    }

    [Fact]
    public void MaxThreadsCanBeSetAndRestored()
    {
        int before = KernelOptions.MaxThreads;
        try
        {
            KernelOptions.MaxThreads = 3;
            Assert.Equal(3, KernelOptions.MaxThreads);
        }
        finally
        {
            KernelOptions.MaxThreads = before;
        }
        Assert.Equal(before, KernelOptions.MaxThreads);
    }
}
