namespace Engine.Tests.Training;

/// <summary>
/// What a diverging run keeps and says, against runs that took another path: a clean run cancelled just before the
/// last good step has the weights the diverged run must end with, and one cancelled just after it the optimizer state
/// (the replay that recovers the weights runs the schedule and the clipping as the loop did). Then the messages: a
/// loss that goes non-finite while the gradients stay finite, no finite step at all, an infinite gradient told from a
/// NaN one, and weights holding an infinity the loss did not see.
/// </summary>
public class DivergenceReplayTests
{
    private const int BatchSize = 16, Seed = 5;

    private static TrainingOptions Options => new()
    {
        Task = TaskKind.Classification,
        Epochs = 2,
        BatchSize = BatchSize,
        Seed = Seed,
        Schedule = new LinearWarmup(1.5, new CosineSchedule(2)), // a different rate at every step
        ClipGradNorm = 0.05,                                     // small enough to clip most steps
    };

    private static Trainer NewTrainer(Sequential<float> model, TrainingOptions? options = null) =>
        new(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(model.Parameters, 0.05, momentum: 0.9), options ?? Options);

    private static Layer<float>[] Layers() => [.. Mlp.Create(2, [16], 2, seed: 2).Layers];

    private static float[][] WeightsOf(Sequential<float> model) => [.. model.Parameters.Select(p => p.Value.AsSpan().ToArray())];

    private static void AssertSame(float[][] expected, IReadOnlyList<float[]> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]), $"{what}: tensor {i} differs");
    }

    /// <summary>A clean run cancelled after <paramref name="steps"/> steps: its weights and state.</summary>
    private static (float[][] Weights, TrainingState State) CleanRunStoppedAfter(Dataset data, int steps)
    {
        using var cancel = new CancellationTokenSource();
        var model = new Sequential<float>([.. Layers(), new Tripwire(steps, cancel)]);
        var trainer = NewTrainer(model);
        Assert.Equal(StopReason.Cancelled, trainer.Fit(data, cancellation: cancel.Token).StopReason);
        return (WeightsOf(model), trainer.CaptureState());
    }

    [Fact]
    public void ARunResumedMidEpochThatDivergesKeepsWhatTheUninterruptedRunKeeps()
    {
        var clean = Samples.Blobs(200, 1, center: 1);
        var order = new BatchIterator(clean, BatchSize, Seed);
        order.StartEpoch(0);
        const int badStep = 10; // 1-based step of epoch 1 whose batch holds the poisoned row
        var poisoned = Samples.Blobs(200, 1, center: 1);
        poisoned.Features[order.Order[(badStep - 1) * BatchSize + 3], 0] = float.NaN;

        var uninterrupted = new Sequential<float>(Layers());
        var first = NewTrainer(uninterrupted);
        var diverged = first.Fit(poisoned);

        using var cancel = new CancellationTokenSource();
        var stopped = new Sequential<float>([.. Layers(), new Tripwire(4, cancel)]);
        var before = NewTrainer(stopped);
        Assert.Equal(StopReason.Cancelled, before.Fit(poisoned, cancellation: cancel.Token).StopReason);
        var state = before.CaptureState();
        Assert.Equal((0, 4), (state.Progress.Epoch, state.Progress.Step));
        var resumedModel = Mlp.Create(2, [16], 2, seed: 77);
        var after = NewTrainer(resumedModel);
        var resumed = after.Resume(state, poisoned);

        const string expected = "Training diverged: the gradient of layer 2 (Dense(16 → 2)) weight became NaN in epoch 1 at step 10 (the loss was NaN); " +
            "the weights of epoch 1 step 9, the last step with a finite loss, were kept. Try a lower learning rate or gradient clipping.";
        Assert.Equal(StopReason.Diverged, diverged.StopReason);
        Assert.Equal(expected, diverged.Message);
        Assert.Equal(StopReason.Diverged, resumed.StopReason);
        Assert.Equal(expected, resumed.Message);

        // the weights as they were before the last good step (after badStep − 2 steps) …
        var (weights, _) = CleanRunStoppedAfter(clean, badStep - 2);
        AssertSame(weights, WeightsOf(uninterrupted), "uninterrupted run's weights");
        AssertSame(weights, WeightsOf(resumedModel), "resumed run's weights");
        // … and the optimizer as it was when the run diverged (after badStep − 1 steps)
        var (_, atDivergence) = CleanRunStoppedAfter(clean, badStep - 1);
        foreach (var (run, s) in new[] { ("uninterrupted", first.CaptureState()), ("resumed", after.CaptureState()) })
        {
            Assert.Equal(atDivergence.Progress.OptimizerSteps, s.Progress.OptimizerSteps);
            AssertSame(atDivergence.OptimizerBuffers, s.OptimizerBuffers, $"{run} run's optimizer");
        }
    }

    /// <summary>Makes one forward pass's first logit NaN, and hands back only the finite part of the gradient.</summary>
    private sealed class NanLogit(Func<bool> poisonNow) : Layer<float>
    {
        public override string Name => "NanLogit";

        public override Matrix<float> Forward(Matrix<float> input)
        {
            if (poisonNow())
                input[0, 0] = float.NaN;
            return input;
        }

        public override Matrix<float>? Backward(Matrix<float> gradOutput, bool computeInputGrad = true)
        {
            var g = gradOutput.AsSpan();
            for (int i = 0; i < g.Length; i++)
            {
                if (!float.IsFinite(g[i]))
                    g[i] = 0;
            }
            return gradOutput;
        }
    }

    [Fact]
    public void ALossGoingNaNWithFiniteGradientsIsNamedAndTheLastGoodStepKept()
    {
        var data = Samples.Blobs(35, 1, center: 1); // batches of 16, 16 and 3: 3 steps an epoch
        int forwards = 0;
        var model = new Sequential<float>([.. Layers(), new NanLogit(() => ++forwards == 3 + 2)]); // epoch 2, step 2
        var history = NewTrainer(model).Fit(data);
        Assert.Equal("Training diverged: the loss became NaN in epoch 2 at step 2; the weights of epoch 2 step 1, the last step with a finite loss, were kept. " +
            "Try a lower learning rate or gradient clipping.", history.Message);
        var (weights, _) = CleanRunStoppedAfter(data, 3);
        AssertSame(weights, WeightsOf(model), "kept weights");
    }

    [Fact]
    public void WhenNoStepHadAFiniteLossTheStartingWeightsAreKept()
    {
        var model = new Sequential<float>([.. Layers(), new NanLogit(() => true)]);
        var start = WeightsOf(model);
        var history = NewTrainer(model).Fit(Samples.Blobs(35, 1, center: 1));
        Assert.Equal("Training diverged: the loss became NaN in epoch 1 at step 1; no step had a finite loss: the starting weights were kept. " +
            "Try a lower learning rate or gradient clipping.", history.Message);
        AssertSame(start, WeightsOf(model), "kept weights");
    }

    /// <summary>Sets one cell of the incoming gradient to <paramref name="value"/> at every backward pass.</summary>
    private sealed class PoisonGradient(float value) : Layer<float>
    {
        public override string Name => "Poison";

        public override Matrix<float> Forward(Matrix<float> input) => input;

        public override Matrix<float>? Backward(Matrix<float> gradOutput, bool computeInputGrad = true)
        {
            gradOutput[0, 0] = value;
            return gradOutput;
        }
    }

    /// <summary>8 rows of two positive features (the first 0 when <paramref name="firstZero"/>), classes alternating.</summary>
    private static Dataset Positive(bool firstZero)
    {
        var x = new Matrix<float>(8, 2);
        var y = new Matrix<float>(8, 1);
        for (int i = 0; i < 8; i++)
        {
            x[i, 0] = firstZero ? 0 : 1 + 0.25f * i;
            x[i, 1] = 2 - 0.125f * i;
            y[i, 0] = i % 2;
        }
        return new Dataset(x, y, ["a", "b"], "c", TaskKind.Classification, ["0", "1"], "positive");
    }

    [Theory]
    [InlineData(false, "infinite")] // −∞·x for x > 0: every entry of the weight's first row is −∞ (a sum, not a max, sees it)
    [InlineData(true, "NaN")]       // −∞·0 = NaN comes first in the weight gradient, −∞ after it
    public void AnInfiniteGradientIsToldFromANaNOneByItsFirstBadValue(bool firstZero, string became)
    {
        var model = new Sequential<float>(new Dense<float>(2, 2), new PoisonGradient(float.NegativeInfinity));
        model.Initialize(1);
        var start = WeightsOf(model);
        var history = new Trainer(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(model.Parameters, 0.1),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = 2, BatchSize = 8 }).Fit(Positive(firstZero));
        Assert.Equal($"Training diverged: the gradient of layer 0 (Dense(2 → 2)) weight became {became} in epoch 1 at step 1; " +
            "the weights at that step (its loss was finite) were kept. Try a lower learning rate or gradient clipping.", history.Message);
        AssertSame(start, WeightsOf(model), "kept weights");
    }

    [Fact]
    public void WeightsHoldingAnInfinityTheLossDidNotSeeAreNotKept()
    {
        // Unit 0 of the first layer has weight −∞ on a positive input: its pre-activation is −∞, the ReLU makes it 0, the
        // loss stays finite. The weights are not "the weights of a finite step" then: the run goes back to its start.
        var model = new Sequential<float>(new Dense<float>(2, 3), new ReLU<float>(), new Dense<float>(3, 2), new PoisonGradient(float.PositiveInfinity));
        model.Initialize(1);
        var first = (Dense<float>)model.Layers[0];
        first.Weight.Value[0, 0] = float.NegativeInfinity;
        first.Weight.Value[0, 1] = 0;
        first.Bias.Value[0, 0] = 0;
        var history = new Trainer(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(model.Parameters, 0.1),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = 1, BatchSize = 8 }).Fit(Positive(firstZero: false));
        Assert.Equal(StopReason.Diverged, history.StopReason);
        Assert.DoesNotContain("(the loss was", history.Message);
        Assert.EndsWith("; no step had a finite loss: the starting weights were kept. Try a lower learning rate or gradient clipping.", history.Message);
    }
}
