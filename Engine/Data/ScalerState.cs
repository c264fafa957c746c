namespace Engine.Data;

/// <summary>A fitted scaler as stored in model files: x' = (x − Offset) · Scale per column.</summary>
/// <param name="Kind">"standard" or "minmax".</param>
/// <param name="Offset">Subtracted per column.</param>
/// <param name="Scale">Multiplied per column after the offset.</param>
public sealed record ScalerState(string Kind, float[] Offset, float[] Scale);
