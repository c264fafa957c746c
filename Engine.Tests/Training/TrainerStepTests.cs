namespace Engine.Tests.Training;

/// <summary>
/// What the trainer does at every step, seen from an optimizer that records what it is handed: the learning rate
/// the schedule gives for the step's fractional epoch, and gradients clipped to the global norm when asked.
/// </summary>
public class TrainerStepTests
{
    /// <summary>Records the rate and the global gradient norm at each step; never changes the weights.</summary>
    private sealed class RecordingOptimizer(IEnumerable<Parameter<float>> parameters, double learningRate) : Optimizer<float>(parameters, learningRate)
    {
        public List<double> Rates { get; } = [];

        public List<double> Norms { get; } = [];

        public override IReadOnlyList<float[]> StateBuffers => [];

        public override void Step()
        {
            Rates.Add(LearningRate);
            double sum = 0;
            foreach (var p in Parameters)
            {
                foreach (float g in p.Grad.AsSpan())
                    sum += (double)g * g;
            }
            Norms.Add(Math.Sqrt(sum));
            StepCount++;
        }
    }

    /// <summary>lr = base·(1 + epoch): every step of an epoch gets a different rate.</summary>
    private sealed class LinearInEpoch : LearningRateSchedule
    {
        public override double At(double baseRate, double epoch) => baseRate * (1 + epoch);
    }

    // 35 rows in batches of 10: steps of 10, 10, 10 and 5 rows, so an epoch is 4 steps
    private static RecordingOptimizer Run(LearningRateSchedule? schedule, double? clip = null, int epochs = 3)
    {
        var model = Mlp.Create(2, [8], 2, seed: 2);
        var optimizer = new RecordingOptimizer(model.Parameters, 0.2);
        var trainer = new Trainer(model, new SoftmaxCrossEntropy<float>(), optimizer,
            new TrainingOptions { Task = TaskKind.Classification, Epochs = epochs, BatchSize = 10, Seed = 3, Schedule = schedule, ClipGradNorm = clip });
        var history = trainer.Fit(Samples.Blobs(35, 1, center: 1));
        Assert.Equal(StopReason.Completed, history.StopReason);
        Assert.Equal(4 * epochs, optimizer.StepCount);
        return optimizer;
    }

    [Fact]
    public void TheScheduleSetsTheRateOfEveryStepFromItsFractionalEpoch()
    {
        var rates = Run(new LinearInEpoch()).Rates;
        for (int e = 0; e < 3; e++)
        {
            for (int s = 0; s < 4; s++)
                Assert.Equal(0.2 * (1 + e + s / 4.0), rates[4 * e + s], 12);
        }
    }

    [Fact]
    public void WarmupThenCosineByHand()
    {
        // warm-up over 1 epoch: 0, 0.05, 0.1, 0.15 (= 0.2·s/4); then cosine over 2 epochs from 0.2 to 0:
        // 0.2·(1 + cos(π·u/2))/2 at u = 0, 0.25, …, 1.75
        var rates = Run(new LinearWarmup(1, new CosineSchedule(2))).Rates;
        double[] expected =
        [
            0, 0.05, 0.1, 0.15,
            .. Enumerable.Range(0, 8).Select(k => 0.1 * (1 + Math.Cos(Math.PI * k / 4.0 / 2))),
        ];
        Assert.Equal(expected.Length, rates.Count);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], rates[i], 12);
    }

    [Fact]
    public void StepDecayHalvesEachEpochAndTheHistoryRecordsTheLastRate()
    {
        var model = Mlp.Create(2, [8], 2, seed: 2);
        var optimizer = new RecordingOptimizer(model.Parameters, 0.2);
        var history = new Trainer(model, new SoftmaxCrossEntropy<float>(), optimizer,
            new TrainingOptions { Task = TaskKind.Classification, Epochs = 3, BatchSize = 10, Seed = 3, Schedule = new StepDecay(1, 0.5) })
            .Fit(Samples.Blobs(35, 1, center: 1));
        Assert.Equal([0.2, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05], optimizer.Rates);
        Assert.Equal([0.2, 0.1, 0.05], history.Epochs.Select(e => e.LearningRate));
    }

    [Fact]
    public void WithoutAScheduleTheRateIsLeftAlone()
    {
        Assert.All(Run(null).Rates, r => Assert.Equal(0.2, r));
    }

    [Fact]
    public void ClippingScalesEachStepsGradientToTheGlobalNorm()
    {
        // The recording optimizer never moves the weights and the batches depend only on the seed, so both runs
        // see the same raw gradients; clip at their median so that some steps are clipped and some are not.
        var raw = Run(null, epochs: 2).Norms;
        double maxNorm = raw.Order().ElementAt(raw.Count / 2);
        var clipped = Run(null, clip: maxNorm, epochs: 2).Norms;
        int scaled = 0;
        for (int i = 0; i < raw.Count; i++)
        {
            // clip_grad_norm_: g·maxNorm/(‖g‖ + 1e-6) when ‖g‖ > maxNorm, else g
            double expected = raw[i] > maxNorm ? raw[i] * maxNorm / (raw[i] + 1e-6) : raw[i];
            Assert.True(Math.Abs(clipped[i] - expected) < 1e-5 * expected, $"step {i}: norm {clipped[i]}, expected {expected} (raw {raw[i]})");
            if (raw[i] > maxNorm)
                scaled++;
        }
        Assert.InRange(scaled, 1, raw.Count - 1);
    }
}
