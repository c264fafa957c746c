namespace Engine.Tests.Training;

/// <summary>
/// The same seed gives bit-identical weights whatever the GEMM thread count: work is split across threads
/// by output tiles only, so each output element sees the same operations in the same order.
/// </summary>
[Collection(KernelThreadsCollection.Name)]
public class ThreadCountDeterminismTests
{
    [Fact]
    public void OneAndTwoThreadsTrainBitIdenticalModels()
    {
        // digits with a wide first layer: the products are large enough to run on both threads
        var data = CsvDataset.Load(TestData.DataFile("digits.csv"));
        var options = new FitOptions { Hidden = [256, 128], Epochs = 3, BatchSize = 128, Seed = 4, Optimizer = OptimizerKind.Sgd };
        int saved = KernelOptions.MaxThreads;
        try
        {
            KernelOptions.MaxThreads = 1;
            var one = TabularModel.Fit(data, options).Model.Network;
            KernelOptions.MaxThreads = 2;
            var two = TabularModel.Fit(data, options).Model.Network;
            for (int i = 0; i < one.Parameters.Count; i++)
                Assert.True(one.Parameters[i].Value.AsSpan().SequenceEqual(two.Parameters[i].Value.AsSpan()), $"parameter {one.NamedParameters[i].Name} differs");
        }
        finally
        {
            KernelOptions.MaxThreads = saved;
        }
    }
}
