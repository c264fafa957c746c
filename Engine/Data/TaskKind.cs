namespace Engine.Data;

/// <summary>What the target column asks for.</summary>
public enum TaskKind
{
    /// <summary>A class label per row; the model outputs one logit per class.</summary>
    Classification,
    /// <summary>A number per row; the model outputs that number.</summary>
    Regression,
}
