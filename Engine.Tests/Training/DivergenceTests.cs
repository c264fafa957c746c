namespace Engine.Tests.Training;

public class DivergenceTests
{
    [Fact]
    public void NanInputRowIsCaughtAtItsStepNamingLayerAndParameterAndKeepsTheLastGoodWeights()
    {
        var train = Samples.Blobs(200, 1, center: 1);
        const int poisoned = 37, batchSize = 16;
        train.Features[poisoned, 1] = float.NaN;
        // The step whose batch holds the poisoned row follows from (seed, epoch) alone.
        var order = new BatchIterator(train, batchSize, seed: 5);
        order.StartEpoch(0);
        int firstEpochStep = order.Order.IndexOf(poisoned) / batchSize + 1;

        var model = Mlp.Create(2, [64], 3, seed: 2);
        var trainer = new Trainer(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(model.Parameters, 0.05, momentum: 0.9),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = 3, BatchSize = batchSize, Seed = 5 });
        var history = trainer.Fit(train);

        Assert.Equal(StopReason.Diverged, history.StopReason);
        Assert.True(history.Message!.Contains($"the gradient of layer 2 (Dense(64 → 3)) weight became NaN in epoch 1 at step {firstEpochStep}", StringComparison.Ordinal), history.Message);
        Assert.Contains("the loss was NaN", history.Message);
        Assert.Empty(history.Epochs);
        foreach (var p in model.Parameters)
            Assert.True(p.Value.AsSpan().ToArray().All(float.IsFinite));
        // The kept weights are those of the last step whose loss was finite (the one before the bad step): a run
        // cancelled just before that step ends with the same ones.
        var reference = Mlp.Create(2, [64], 3, seed: 2);
        var cleanData = Samples.Blobs(200, 1, center: 1);
        using var cancel = new CancellationTokenSource();
        int steps = 0;
        var counting = new Sequential<float>([.. reference.Layers, new CountingLayer(() =>
        {
            if (++steps == firstEpochStep - 2)
                cancel.Cancel();
        })]);
        new Trainer(counting, new SoftmaxCrossEntropy<float>(), new Sgd<float>(counting.Parameters, 0.05, momentum: 0.9),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = 1, BatchSize = batchSize, Seed = 5 }).Fit(cleanData, cancellation: firstEpochStep > 2 ? cancel.Token : new CancellationToken(true));
        for (int i = 0; i < model.Parameters.Count; i++)
            Assert.True(model.Parameters[i].Value.AsSpan().SequenceEqual(reference.Parameters[i].Value.AsSpan()), $"parameter {i}");
    }

    [Theory]
    [InlineData(0)] // the bad step is the first of epoch 2: the last good one is in epoch 1
    [InlineData(3)] // the bad step is the fourth of epoch 2
    public void TheKeptWeightsAreReplayedBitForBitFromTheEpochStart(int stepInSecondEpoch)
    {
        const int batchSize = 20;
        var data = Samples.Blobs(200, 1, center: 1); // 600 rows: 30 steps per epoch
        int stepsPerEpoch = new BatchIterator(data, batchSize, seed: 3).StepsPerEpoch;
        int badForward = stepsPerEpoch + stepInSecondEpoch + 1;

        var model = Mlp.Create(2, [16], 3, seed: 4);
        int forwards = 0;
        var poisoned = new Sequential<float>([.. model.Layers, new PoisonForward(() => ++forwards == badForward)]);
        var history = new Trainer(poisoned, new SoftmaxCrossEntropy<float>(), new Sgd<float>(poisoned.Parameters, 0.05, momentum: 0.9),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = 3, BatchSize = batchSize, Seed = 3 }).Fit(data);
        Assert.Equal(StopReason.Diverged, history.StopReason);

        // A run cancelled just before the last good step ends with the same weights.
        var reference = Mlp.Create(2, [16], 3, seed: 4);
        using var cancel = new CancellationTokenSource();
        int steps = 0;
        var counting = new Sequential<float>([.. reference.Layers, new CountingLayer(() =>
        {
            if (++steps == badForward - 2)
                cancel.Cancel();
        })]);
        new Trainer(counting, new SoftmaxCrossEntropy<float>(), new Sgd<float>(counting.Parameters, 0.05, momentum: 0.9),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = 3, BatchSize = batchSize, Seed = 3 }).Fit(data, cancellation: cancel.Token);
        for (int i = 0; i < model.Parameters.Count; i++)
            Assert.True(model.Parameters[i].Value.AsSpan().SequenceEqual(reference.Parameters[i].Value.AsSpan()), $"parameter {i}");
    }

    private sealed class PoisonForward(Func<bool> poisonNow) : Layer<float>
    {
        public override string Name => "PoisonForward";

        public override Matrix<float> Forward(Matrix<float> input)
        {
            if (poisonNow())
                input[0, 0] = float.NaN;
            return input;
        }

        public override Matrix<float>? Backward(Matrix<float> gradOutput, bool computeInputGrad = true) => gradOutput;
    }

    private sealed class CountingLayer(Action onBackward) : Layer<float>
    {
        public override string Name => "Counting";

        public override Matrix<float> Forward(Matrix<float> input) => input;

        public override Matrix<float>? Backward(Matrix<float> gradOutput, bool computeInputGrad = true)
        {
            onBackward();
            return gradOutput;
        }
    }

    [Fact]
    public void InfiniteGradientWithAFiniteLossNamesTheParameter()
    {
        var model = Mlp.Create(2, [4], 2, seed: 1);
        var poison = new Sequential<float>([.. model.Layers, new PoisonGradient()]);
        var trainer = new Trainer(poison, new SoftmaxCrossEntropy<float>(), new Sgd<float>(poison.Parameters, 0.05),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = 2, BatchSize = 50 });
        var history = trainer.Fit(Samples.Blobs(200, 1, center: 1));
        Assert.Equal(StopReason.Diverged, history.StopReason);
        Assert.Matches(@"the gradient of layer 2 \(Dense\(4 → 2\)\) weight became (NaN|infinite) in epoch 1 at step 1;", history.Message);
        Assert.DoesNotContain("the loss was", history.Message);
    }

    // dL/dlogits of +∞ in one cell: the last layer's weight gradient (∞ times activations, some 0) and bias gradient go non-finite.
    private sealed class PoisonGradient : Layer<float>
    {
        public override string Name => "Poison";

        public override Matrix<float> Forward(Matrix<float> input) => input;

        public override Matrix<float>? Backward(Matrix<float> gradOutput, bool computeInputGrad = true)
        {
            gradOutput[0, 0] = float.PositiveInfinity;
            return gradOutput;
        }
    }
}
