using Engine.Data;
using Engine.Layers;
using Engine.Serialization;
using Engine.Training;

namespace Engine.Tabular;

/// <summary>
/// A training run frozen between two steps, as <see cref="CheckpointFile"/> stores it: the architecture, the
/// model's metadata (columns, labels, scalers), the options that rebuild the run (seed, optimizer, schedule,
/// batch size, …), and the <see cref="TrainingState"/> (weights, optimizer buffers, progress, history, early
/// stopping). <see cref="TabularModel.Resume(Checkpoint, DataTable, DataTable?, Action{Training.EpochResult}?, CancellationToken, Action{Checkpoint}?)"/> continues it bit-identically.
/// </summary>
/// <param name="Layers">The network's layers.</param>
/// <param name="Metadata">What predicting needs besides the weights.</param>
/// <param name="Options">The run's options.</param>
/// <param name="State">Weights, optimizer and progress.</param>
public sealed record Checkpoint(LayerSpec[] Layers, ModelMetadata Metadata, FitOptions Options, TrainingState State)
{
    /// <summary>The data the run was given (before splitting); resuming checks it is the same.</summary>
    public DataFingerprint Data { get; init; }

    /// <summary>Whether the test rows came separately (then every given row trains) rather than split off.</summary>
    public bool SeparateTest { get; init; }

    /// <summary>Where the training data came from (e.g. the CSV path), for a resuming tool; the library does not read it.</summary>
    public string? DataPath { get; init; }

    /// <summary>How a resuming tool reads the CSV files again (column kinds, missing-value markers); null in older checkpoints.</summary>
    public TableOptions? Read { get; init; }

    /// <summary>Where the separate test data came from, if any.</summary>
    public string? TestPath { get; init; }
}
