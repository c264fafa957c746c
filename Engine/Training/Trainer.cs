using System.Diagnostics;
using Engine.Data;
using Engine.Layers;
using Engine.Losses;
using Engine.Optimizers;

namespace Engine.Training;

/// <summary>
/// Mini-batch training of a <see cref="Sequential{T}"/>: per step, next batch → forward → loss →
/// zero grad → backward → finite check → (clip) → optimizer step, with per-epoch validation, early
/// stopping, and a guard that stops a diverging run (NaN or infinite loss or gradient) with the last good
/// weights kept. A run can be cancelled between steps, its state captured (<see cref="CaptureState"/>)
/// and continued later with <see cref="Resume"/>, ending bit-identical to a run never stopped.
/// </summary>
public sealed class Trainer
{
    private readonly Sequential<float> _model;
    private readonly Loss<float> _loss;
    private readonly Optimizer<float> _optimizer;
    private readonly TrainingOptions _options;
    private readonly (int Layer, string Name)[] _owners; // per parameter: its layer index and name, for messages
    private readonly int[] _checkOrder;                  // parameter indices, last layer first, weight before bias
    private Run? _run;

    /// <summary>Trains <paramref name="model"/> with the given loss and optimizer.</summary>
    public Trainer(Sequential<float> model, Loss<float> loss, Optimizer<float> optimizer, TrainingOptions options)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _loss = loss ?? throw new ArgumentNullException(nameof(loss));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.Validate();
        _owners = [.. model.Layers.SelectMany((layer, i) => layer.Parameters.Select(p => (i, p.Name)))];
        _checkOrder = [.. Enumerable.Range(0, _owners.Length).OrderByDescending(i => _owners[i].Layer).ThenBy(i => i)];
    }

    /// <summary>Called after every epoch, e.g. to draw a progress bar.</summary>
    public Action<EpochResult>? EpochCompleted { get; set; }

    /// <summary>Called every <see cref="TrainingOptions.CheckpointEvery"/> epochs with the state to save.</summary>
    public Action<TrainingState>? Checkpoint { get; set; }

    /// <summary>
    /// Trains on <paramref name="train"/>, evaluating on <paramref name="validation"/> after each epoch
    /// when given (early stopping needs it). Returns the history; the model holds the final (or best) weights.
    /// Cancelling <paramref name="cancellation"/> lets the current step finish, then stops with
    /// <see cref="StopReason.Cancelled"/>; <see cref="CaptureState"/> then gives the state to resume from.
    /// </summary>
    public TrainingHistory Fit(Dataset train, Dataset? validation = null, CancellationToken cancellation = default)
    {
        _run = new Run(new TrainingProgress { BaseLearningRate = _optimizer.LearningRate }, null);
        return Train(train, validation, cancellation);
    }

    /// <summary>
    /// Continues the run <paramref name="state"/> was captured from: loads its weights into the model and its
    /// buffers into the optimizer, then trains on from its epoch and step. Needs the same model architecture,
    /// optimizer kind, options and data as that run.
    /// </summary>
    public TrainingHistory Resume(TrainingState state, Dataset train, Dataset? validation = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var parameters = _model.Parameters;
        CheckShapes(state.Weights, "weights");
        if (state.BestWeights is not null)
            CheckShapes(state.BestWeights, "best weights");
        var progress = state.Progress;
        if (progress.Epoch < 0 || progress.Step < 0 || progress.Epochs.Count != progress.Epoch)
            throw new ArgumentException($"The state is at epoch {progress.Epoch}, step {progress.Step} with {progress.Epochs.Count} epochs of history.", nameof(state));
        for (int i = 0; i < parameters.Count; i++)
            state.Weights[i].CopyTo(parameters[i].Value.AsSpan());
        _optimizer.LoadState(state.OptimizerBuffers, progress.OptimizerSteps, progress.LearningRate);
        _run = new Run(progress.Clone(), state.BestWeights is null ? null : WeightSnapshot.FromArrays(state.BestWeights));
        return Train(train, validation, cancellation);

        void CheckShapes(float[][] values, string what)
        {
            if (values.Length != parameters.Count)
                throw new ArgumentException($"The state has {values.Length} {what} tensors but the model has {parameters.Count} parameters.", nameof(state));
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i].Length != parameters[i].Length)
                    throw new ArgumentException($"The state's {what} tensor {i} has {values[i].Length} values but the model's has {parameters[i].Length}.", nameof(state));
            }
        }
    }

    /// <summary>
    /// A copy of the current state (weights, optimizer, progress, early stopping): after <see cref="Fit"/> or
    /// <see cref="Resume"/> returned, or inside <see cref="Checkpoint"/> or <see cref="EpochCompleted"/>.
    /// </summary>
    public TrainingState CaptureState()
    {
        var run = _run ?? throw new InvalidOperationException("There is no training state yet: call Fit or Resume first.");
        var progress = run.Progress.Clone();
        progress.Seconds = run.SecondsBefore + run.Clock.Elapsed.TotalSeconds;
        progress.OptimizerSteps = _optimizer.StepCount;
        progress.LearningRate = _optimizer.LearningRate;
        return new TrainingState
        {
            Progress = progress,
            Weights = [.. _model.Parameters.Select(q => q.Value.AsSpan().ToArray())],
            OptimizerBuffers = [.. _optimizer.StateBuffers.Select(b => (float[])b.Clone())],
            BestWeights = run.Best?.ToArrays(),
        };
    }

    private TrainingHistory Train(Dataset train, Dataset? validation, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (_options.Patience is not null && validation is null)
            throw new ArgumentException("Early stopping (Patience) needs a validation set.", nameof(validation));
        var run = _run!;
        var p = run.Progress;
        run.Clock.Restart();
        var batches = new BatchIterator(train, _options.BatchSize, _options.Seed);
        int stepsPerEpoch = batches.StepsPerEpoch;
        if (p.Step > stepsPerEpoch)
            throw new ArgumentException($"The state is at step {p.Step} of an epoch that has {stepsPerEpoch} steps (other data or batch size?).", nameof(train));
        // What a diverging run keeps is the weights of the last step whose loss was finite, as they were before that
        // step's update. Copying them every step would cost a full pass over the parameters per step; instead the
        // weights and optimizer state are saved where this epoch (and the one before) started, and on divergence
        // only the steps since then are replayed: each batch is a function of (seed, epoch, step) and every
        // kernel is deterministic, so the replay ends on the same bits. Before the first step of this segment:
        // the weights it starts from.
        var epochStart = ReplayPoint.Of(_model, _optimizer);
        var previousEpochStart = ReplayPoint.Of(_model, _optimizer);
        bool firstEpochOfSegment = true;
        (int Epoch, int Step)? lastGoodAt = null;
        bool classification = _options.Task == TaskKind.Classification;

        while (p.Epoch < _options.Epochs)
        {
            // Two buffers swapped at each epoch start: a loss going non-finite at step 1 needs the previous epoch's start.
            if (!firstEpochOfSegment)
                (previousEpochStart, epochStart) = (epochStart, previousEpochStart);
            epochStart.Capture(_model, _optimizer, p.Epoch, p.Step);
            if (firstEpochOfSegment)
                previousEpochStart.Capture(_model, _optimizer, p.Epoch, p.Step);
            firstEpochOfSegment = false;
            var epochClock = Stopwatch.StartNew();
            batches.StartEpoch(p.Epoch, p.Step);
            while (batches.Next(out var x, out var y))
            {
                if (cancellation.IsCancellationRequested)
                    return Stop(StopReason.Cancelled, $"Cancelled in epoch {p.Epoch + 1} after step {p.Step}.");
                if (_options.Schedule is not null)
                    _optimizer.LearningRate = _options.Schedule.At(p.BaseLearningRate, p.Epoch + (double)p.Step / stepsPerEpoch);

                var output = _model.Forward(x);
                double loss = _loss.Forward(output, y);
                if (classification)
                    p.Correct += CountCorrect(output, y); // before the step: what the model knew when it saw the batch
                _optimizer.ZeroGrad();
                _model.Backward(_loss.Backward());
                if (NonFiniteGradient() is int bad)
                    return Diverged(GradientProblem(bad, loss), double.IsFinite(loss), LastGood(), lastGoodAt, batches, train);
                if (!double.IsFinite(loss))
                    return Diverged($"the loss became {loss} in epoch {p.Epoch + 1} at step {p.Step + 1}", false, LastGood(), lastGoodAt, batches, train);
                if (_options.ClipGradNorm is double maxNorm)
                    GradientClipping.ClipByGlobalNorm(_model.Parameters, maxNorm);
                lastGoodAt = (p.Epoch, p.Step);
                _optimizer.Step();
                p.LossSum += loss * x.Rows;
                p.Step++;
            }

            var validationResult = validation is null ? null : Evaluator.Evaluate(_model, _loss, validation);
            var result = new EpochResult(p.Epoch + 1, p.LossSum / train.Features.Rows, validationResult, _optimizer.LearningRate, epochClock.Elapsed.TotalSeconds,
                classification ? (double)p.Correct / train.Features.Rows : null,
                _options.DeadUnitProbe is { } probe ? DeadFractions(probe) : null);
            p.Epochs.Add(result);
            // The epoch is done: a state captured from here on starts the next one.
            p.Epoch++;
            p.Step = 0;
            p.LossSum = 0;
            p.Correct = 0;
            EpochCompleted?.Invoke(result);

            if (validationResult is not null && _options.Patience is int patience)
            {
                if (validationResult.Loss < p.BestLoss)
                {
                    p.BestLoss = validationResult.Loss;
                    run.Best ??= WeightSnapshot.Of(_model);
                    run.Best.CaptureFrom(_model);
                    p.BestEpoch = result.Epoch;
                    p.EpochsSinceBest = 0;
                }
                else if (++p.EpochsSinceBest >= patience)
                {
                    bool restore = _options.RestoreBestWeights && run.Best is not null;
                    if (restore)
                        run.Best!.RestoreTo(_model);
                    return Stop(StopReason.EarlyStopped,
                        $"Early stopping after epoch {result.Epoch}: validation loss has not improved for {patience} epochs (best {p.BestLoss:G4} at epoch {p.BestEpoch}).",
                        restore ? p.BestEpoch : p.Epoch);
                }
            }
            if (Checkpoint is not null && _options.CheckpointEvery is int every && p.Epoch % every == 0)
                Checkpoint(CaptureState());
        }
        return Stop(StopReason.Completed, null);

        // The saved start to replay from: this epoch's, or the previous one's when the last good step was in it.
        ReplayPoint LastGood() => lastGoodAt is var (epoch, _) && epoch < epochStart.Epoch ? previousEpochStart : epochStart;
    }

    // The index of a parameter whose gradient holds a NaN or ±∞, or null. Layers are searched in backward
    // order (last first, where back-propagation meets a bad value first). A NaN or ±∞ anywhere makes the sum non-finite.
    private int? NonFiniteGradient()
    {
        var parameters = _model.Parameters;
        foreach (int i in _checkOrder) // an array: no enumerator allocation
        {
            if (!float.IsFinite(TensorPrimitives.Sum<float>(parameters[i].Grad.AsSpan())))
                return i;
        }
        return null;
    }

    // "the gradient of layer 2 (Dense(64 → 3)) weight became NaN in epoch 3 at step 7".
    private string GradientProblem(int index, double loss)
    {
        var (layerIndex, name) = _owners[index];
        var layer = _model.Layers[layerIndex];
        string what = layer.ToString();
        float value = 0;
        foreach (float g in _model.Parameters[index].Grad.AsSpan())
        {
            if (!float.IsFinite(g))
            {
                value = g;
                break;
            }
        }
        string became = float.IsNaN(value) ? "NaN" : "infinite";
        string lossNote = double.IsFinite(loss) ? "" : $" (the loss was {loss})";
        var p = _run!.Progress;
        return $"the gradient of layer {layerIndex} ({what}) {name} became {became} in epoch {p.Epoch + 1} at step {p.Step + 1}{lossNote}";
    }

    private TrainingHistory Diverged(string problem, bool lossFinite, ReplayPoint start, (int Epoch, int Step)? lastGoodAt, BatchIterator batches, Dataset train)
    {
        // A finite loss with a non-finite gradient: the weights in the model are still the last with a finite loss
        // (unless they hold a non-finite value that the loss did not see). Otherwise go back to the weights of the
        // last step whose loss was finite, or, when no step of this run had one, to the weights it started from.
        bool keep = lossFinite && _model.Parameters.All(q => float.IsFinite(TensorPrimitives.Sum<float>(q.Value.AsSpan())));
        string kept;
        if (keep)
        {
            kept = "the weights at that step (its loss was finite) were kept";
        }
        else
        {
            ReplayTo(start, lastGoodAt, batches, train);
            kept = lastGoodAt is var (epoch, step)
                ? $"the weights of epoch {epoch + 1} step {step + 1}, the last step with a finite loss, were kept"
                : "no step had a finite loss: the starting weights were kept";
        }
        return Stop(StopReason.Diverged, $"Training diverged: {problem}; {kept}. Try a lower learning rate or gradient clipping.");
    }

    // Puts into the model the weights it had just before step lastGoodAt (the start's weights when null): restores the
    // saved start, then runs the steps from there up to that one exactly as the loop ran them. The optimizer ends with
    // the state it had when the run diverged, as it did when the weights were copied every step.
    private void ReplayTo(ReplayPoint start, (int Epoch, int Step)? lastGoodAt, BatchIterator batches, Dataset train)
    {
        var atDivergence = ReplayPoint.Of(_model, _optimizer);
        start.RestoreTo(_model, _optimizer);
        if (lastGoodAt is var (goodEpoch, goodStep))
        {
            int stepsPerEpoch = batches.StepsPerEpoch;
            var replay = new BatchIterator(train, _options.BatchSize, _options.Seed);
            for (int epoch = start.Epoch; epoch <= goodEpoch; epoch++)
            {
                int from = epoch == start.Epoch ? start.Step : 0;
                int to = epoch == goodEpoch ? goodStep : stepsPerEpoch;
                replay.StartEpoch(epoch, from);
                for (int step = from; step < to && replay.Next(out var x, out var y); step++)
                {
                    if (_options.Schedule is not null)
                        _optimizer.LearningRate = _options.Schedule.At(_run!.Progress.BaseLearningRate, epoch + (double)step / stepsPerEpoch);
                    _loss.Forward(_model.Forward(x), y);
                    _optimizer.ZeroGrad();
                    _model.Backward(_loss.Backward());
                    if (_options.ClipGradNorm is double maxNorm)
                        GradientClipping.ClipByGlobalNorm(_model.Parameters, maxNorm);
                    _optimizer.Step();
                }
            }
        }
        var weights = WeightSnapshot.Of(_model);
        atDivergence.RestoreTo(_model, _optimizer);
        weights.RestoreTo(_model);
    }

    // endEpoch: the epoch whose weights the model ends with (the best one when early stopping restored it).
    private TrainingHistory Stop(StopReason reason, string? message, int? endEpoch = null)
    {
        var run = _run!;
        return new TrainingHistory(run.Progress.Epochs)
        {
            StopReason = reason,
            Message = message,
            BestEpoch = endEpoch ?? run.Progress.Epoch,
            Seconds = run.SecondsBefore + run.Clock.Elapsed.TotalSeconds,
        };
    }

    private double[] DeadFractions(Matrix<float> probe) =>
        [.. Diagnostics.Inspector.Inspect(_model, probe).Where(r => r.DeadFraction is not null).Select(r => r.DeadFraction!.Value)];

    private static int CountCorrect(Matrix<float> logits, Matrix<float> labels)
    {
        int correct = 0;
        for (int i = 0; i < logits.Rows; i++)
        {
            if (TensorPrimitives.IndexOfMax<float>(logits.Row(i)) == (int)labels[i, 0])
                correct++;
        }
        return correct;
    }

    // Weights and optimizer state (buffers, step count, rate) at a position of the run, to replay from.
    private sealed class ReplayPoint
    {
        private readonly float[][] _weights, _buffers;
        private long _stepCount;
        private double _learningRate;

        private ReplayPoint(Sequential<float> model, Optimizer<float> optimizer)
        {
            _weights = [.. model.Parameters.Select(q => new float[q.Length])];
            _buffers = [.. optimizer.StateBuffers.Select(b => new float[b.Length])];
        }

        public int Epoch { get; private set; }

        public int Step { get; private set; }

        public static ReplayPoint Of(Sequential<float> model, Optimizer<float> optimizer)
        {
            var point = new ReplayPoint(model, optimizer);
            point.Capture(model, optimizer, 0, 0);
            return point;
        }

        public void Capture(Sequential<float> model, Optimizer<float> optimizer, int epoch, int step)
        {
            var parameters = model.Parameters;
            for (int i = 0; i < _weights.Length; i++)
                parameters[i].Value.AsSpan().CopyTo(_weights[i]);
            var buffers = optimizer.StateBuffers;
            for (int i = 0; i < _buffers.Length; i++)
                buffers[i].CopyTo(_buffers[i], 0);
            _stepCount = optimizer.StepCount;
            _learningRate = optimizer.LearningRate;
            Epoch = epoch;
            Step = step;
        }

        public void RestoreTo(Sequential<float> model, Optimizer<float> optimizer)
        {
            var parameters = model.Parameters;
            for (int i = 0; i < _weights.Length; i++)
                _weights[i].CopyTo(parameters[i].Value.AsSpan());
            optimizer.LoadState(_buffers, _stepCount, _learningRate);
        }
    }

    // The run in progress: its progress (CaptureState copies it out, Resume puts it back), the clock of this
    // segment of it, and the best weights so far (early stopping).
    private sealed class Run(TrainingProgress progress, WeightSnapshot? best)
    {
        public TrainingProgress Progress { get; } = progress;
        public double SecondsBefore { get; } = progress.Seconds;
        public Stopwatch Clock { get; } = new();
        public WeightSnapshot? Best { get; set; } = best;
    }
}
