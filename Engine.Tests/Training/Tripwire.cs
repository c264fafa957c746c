namespace Engine.Tests.Training;

/// <summary>Passes values through; cancels a token at its n-th backward pass (only training runs backward).</summary>
internal sealed class Tripwire(int afterSteps, CancellationTokenSource cancel) : Layer<float>
{
    private int _steps;

    public override string Name => "Tripwire";

    public override Matrix<float> Forward(Matrix<float> input) => input;

    public override Matrix<float>? Backward(Matrix<float> gradOutput, bool computeInputGrad = true)
    {
        if (++_steps == afterSteps)
            cancel.Cancel();
        return gradOutput;
    }
}
