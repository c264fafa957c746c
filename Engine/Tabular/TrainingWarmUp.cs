using Engine.Data;
using Engine.Serialization;
using Engine.Training;

namespace Engine.Tabular;

/// <summary>
/// Runs the path of a run once on a tiny random problem, so that the JIT has compiled it (fully optimized: the
/// <c>mlp</c> tool runs without tiered compilation) before the real run needs it. Meant to run on another thread while
/// the data load: then the first epoch runs as fast as the others instead of about 75 ms slower (Fashion-MNIST,
/// 784-256-128-10), and the encoder, the evaluation and the model file's header (System.Text.Json builds its
/// serializers on first use: about 0.1 s) are ready when the run reaches them. The compiled code is shared by every
/// model of the same element type, whatever its sizes.
/// </summary>
public static class TrainingWarmUp
{
    /// <summary>
    /// One epoch of a classification and of a regression model with <paramref name="options"/>' hidden layers,
    /// activation, optimizer, schedule and clipping, on random inputs (two batches after the test split), through
    /// <see cref="TabularModel.Fit(Dataset, FitOptions, Dataset?, Action{EpochResult}?, CancellationToken, Action{Checkpoint}?)"/>,
    /// then the model file's header in memory. Writes no file and never throws: it only saves time.
    /// </summary>
    public static void Run(FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            const int Inputs = 64;
            int rows = Math.Min(2 * options.BatchSize, 4096) * 5 / 4; // the default test split keeps a fifth
            var rng = new Rng(1);
            var x = new Matrix<float>(rows, Inputs);
            var span = x.AsSpan();
            for (int i = 0; i < span.Length; i++)
                span[i] = (float)rng.NextNormal();
            foreach (var task in new[] { TaskKind.Classification, TaskKind.Regression })
            {
                bool classification = task == TaskKind.Classification;
                var y = new Matrix<float>(rows, 1);
                for (int i = 0; i < rows; i++)
                    y[i, 0] = classification ? i % 3 : (float)rng.NextNormal();
                var data = new Dataset(x, y, [.. Enumerable.Range(0, Inputs).Select(i => $"x{i}")], "y", task,
                    classification ? ["a", "b", "c"] : null, "warm-up");
                var result = TabularModel.Fit(data, options with
                {
                    Epochs = 1,
                    Seed = 1,
                    WarmupEpochs = Math.Min(options.WarmupEpochs, 1),
                    CheckpointEvery = null,
                    TestFraction = 0.2,
                    Initializer = null, // the run's own objects are not shared with this thread
                    Lsuv = null,
                });
                ModelFile.HeaderBytes(result.Model.Network, result.Model.Metadata);
            }
        }
#pragma warning disable CA1031 // a warm-up that fails costs nothing but the time it would have saved
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
