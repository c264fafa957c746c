using System.Diagnostics;
using System.Numerics.Tensors;
using Engine.Data;
using Engine.Layers;
using Engine.Losses;
using Engine.Optimizers;

namespace Engine.Training;

/// <summary>
/// Mini-batch training of a <see cref="Sequential{T}"/>: per step, next batch → forward → loss →
/// zero grad → backward → optimizer step, with per-epoch validation, early stopping and a guard that
/// stops a diverging run (NaN or infinite loss or gradient) with the last good weights kept.
/// </summary>
public sealed class Trainer
{
    private readonly Sequential<float> _model;
    private readonly Loss<float> _loss;
    private readonly Optimizer<float> _optimizer;
    private readonly TrainingOptions _options;

    /// <summary>Trains <paramref name="model"/> with the given loss and optimizer.</summary>
    public Trainer(Sequential<float> model, Loss<float> loss, Optimizer<float> optimizer, TrainingOptions? options = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _loss = loss ?? throw new ArgumentNullException(nameof(loss));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _options = options ?? new TrainingOptions();
        _options.Validate();
    }

    /// <summary>Called after every epoch, e.g. to draw a progress bar.</summary>
    public Action<EpochResult>? EpochCompleted { get; set; }

    /// <summary>
    /// Trains on <paramref name="train"/>, evaluating on <paramref name="validation"/> after each epoch
    /// when given (early stopping needs it). Returns the history; the model holds the final (or best) weights.
    /// </summary>
    public TrainingHistory Fit(Dataset train, Dataset? validation = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (_options.Patience is not null && validation is null)
            throw new ArgumentException("Early stopping (Patience) needs a validation set.", nameof(validation));
        var history = new TrainingHistory();
        var clock = Stopwatch.StartNew();
        var batches = new BatchIterator(train, _options.BatchSize, new Rng(_options.Seed));
        double baseRate = _optimizer.LearningRate;
        int stepsPerEpoch = (train.Features.Rows + _options.BatchSize - 1) / _options.BatchSize;
        var snapshot = WeightSnapshot.Of(_model);
        WeightSnapshot? best = null;
        double bestLoss = double.PositiveInfinity;
        int epochsSinceBest = 0;

        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            snapshot.CaptureFrom(_model); // fallback if a step leaves non-finite weights
            batches.StartEpoch();
            double lossSum = 0;
            int step = 0;
            while (batches.Next(out var x, out var y))
            {
                if (cancellation.IsCancellationRequested)
                    return Stop(history, StopReason.Cancelled, $"Cancelled in epoch {epoch + 1} at step {step + 1}.", clock);
                if (_options.Schedule is not null)
                    _optimizer.LearningRate = _options.Schedule.At(baseRate, epoch + (double)step / stepsPerEpoch);

                var output = _model.Forward(x);
                double loss = _loss.Forward(output, y);
                if (!double.IsFinite(loss))
                    return Diverged(history, $"Training diverged: the loss became {loss} in epoch {epoch + 1} at step {step + 1}", clock, snapshot);
                _optimizer.ZeroGrad();
                _model.Backward(_loss.Backward());
                if (!GradientsAreFinite())
                    return Diverged(history, $"Training diverged: a gradient became NaN or infinite in epoch {epoch + 1} at step {step + 1}", clock, snapshot);
                _optimizer.Step();
                lossSum += loss * x.Rows;
                step++;
            }

            var validationResult = validation is null ? null : Evaluator.Evaluate(_model, _loss, validation);
            var result = new EpochResult(epoch + 1, lossSum / train.Features.Rows, validationResult, _optimizer.LearningRate, epochClock.Elapsed.TotalSeconds);
            history.Epochs.Add(result);
            history.BestEpoch = epoch + 1;
            EpochCompleted?.Invoke(result);

            if (validationResult is not null && _options.Patience is int patience)
            {
                if (validationResult.Loss < bestLoss)
                {
                    bestLoss = validationResult.Loss;
                    best ??= WeightSnapshot.Of(_model);
                    best.CaptureFrom(_model);
                    best.Epoch = epoch + 1;
                    epochsSinceBest = 0;
                }
                else if (++epochsSinceBest >= patience)
                {
                    if (_options.RestoreBestWeights && best is not null)
                    {
                        best.RestoreTo(_model);
                        history.BestEpoch = best.Epoch;
                    }
                    return Stop(history, StopReason.EarlyStopped,
                        $"Early stopping after epoch {epoch + 1}: validation loss has not improved for {patience} epochs (best {bestLoss:G4} at epoch {best?.Epoch}).", clock);
                }
            }
        }
        return Stop(history, StopReason.Completed, null, clock);
    }

    private bool GradientsAreFinite()
    {
        var parameters = _model.Parameters;
        for (int i = 0; i < parameters.Count; i++)
        {
            // A NaN or ±∞ anywhere makes the sum non-finite.
            if (!float.IsFinite(TensorPrimitives.Sum<float>(parameters[i].Grad.AsSpan())))
                return false;
        }
        return true;
    }

    private TrainingHistory Diverged(TrainingHistory history, string message, Stopwatch clock, WeightSnapshot epochStart)
    {
        // The weights in the model produced a finite loss at the previous step unless the last update
        // itself overflowed; in that case fall back to the weights at the start of the epoch.
        bool finite = _model.Parameters.All(p => float.IsFinite(TensorPrimitives.Sum<float>(p.Value.AsSpan())));
        if (!finite)
            epochStart.RestoreTo(_model);
        string kept = finite ? "the weights before that step were kept" : "the weights from the start of that epoch were restored";
        return Stop(history, StopReason.Diverged, $"{message}; {kept}. Try a lower learning rate.", clock);
    }

    private static TrainingHistory Stop(TrainingHistory history, StopReason reason, string? message, Stopwatch clock)
    {
        history.StopReason = reason;
        history.Message = message;
        history.Seconds = clock.Elapsed.TotalSeconds;
        return history;
    }
}
