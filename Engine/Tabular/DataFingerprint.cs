using System.Runtime.InteropServices;
using Engine.Data;

namespace Engine.Tabular;

/// <summary>
/// Identifies the rows a run trained on: shape and a CRC-32 of the features and targets. A checkpoint
/// keeps it so that resuming on other data fails loudly instead of silently training a different run.
/// </summary>
/// <param name="Rows">Rows.</param>
/// <param name="Columns">Feature columns.</param>
/// <param name="Crc32">CRC-32 of the float32 features then targets, in memory order.</param>
public readonly record struct DataFingerprint(int Rows, int Columns, uint Crc32)
{
    /// <summary>The fingerprint of <paramref name="data"/>.</summary>
    public static DataFingerprint Of(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var crc = new System.IO.Hashing.Crc32();
        crc.Append(MemoryMarshal.AsBytes(data.Features.AsSpan()));
        crc.Append(MemoryMarshal.AsBytes(data.Targets.AsSpan()));
        return new DataFingerprint(data.Count, data.Features.Cols, crc.GetCurrentHashAsUInt32());
    }
}
