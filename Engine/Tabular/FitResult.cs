using Engine.Data;
using Engine.Training;

namespace Engine.Tabular;

/// <summary>What <see cref="TabularModel.Fit(DataTable, FitOptions, DataTable?, Action{Training.EpochResult}?, CancellationToken, Action{Checkpoint}?)"/> returns.</summary>
/// <param name="Model">The trained model.</param>
/// <param name="History">Per-epoch figures and why training stopped.</param>
/// <param name="Test">Metrics on the test rows.</param>
/// <param name="TrainRows">Rows trained on.</param>
/// <param name="ValidationRows">Rows used for validation.</param>
/// <param name="TestRows">Rows tested on.</param>
/// <param name="Checkpoint">When the run was cancelled, the state to resume from; otherwise null.</param>
public sealed record FitResult(TabularModel Model, TrainingHistory History, Evaluation Test, int TrainRows, int ValidationRows, int TestRows,
    Checkpoint? Checkpoint = null)
{
    /// <summary>With <see cref="FitOptions.Lsuv"/>: each dense layer's output variance on the calibration rows after LSUV, before training; otherwise null.</summary>
    public IReadOnlyList<double>? LsuvVariances { get; init; }
}
