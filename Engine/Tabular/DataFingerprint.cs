using System.Runtime.InteropServices;
using Engine.Data;

namespace Engine.Tabular;

/// <summary>
/// Identifies the rows a run trained on: shape and a CRC-32 of the features and targets. A checkpoint
/// keeps it so that resuming on other data fails loudly instead of silently training a different run.
/// </summary>
/// <param name="Rows">Rows.</param>
/// <param name="Columns">Feature columns (numeric and categorical).</param>
/// <param name="Crc32">CRC-32 of the float32 numeric features, the level codes, then the targets, in memory order
/// (for an all-numeric table the same as a dataset's: features then targets).</param>
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

    /// <summary>The fingerprint of <paramref name="table"/>: its numeric values, level codes and targets.</summary>
    public static DataFingerprint Of(DataTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var crc = new System.IO.Hashing.Crc32();
        crc.Append(MemoryMarshal.AsBytes(table.Numeric.AsSpan()));
        crc.Append(MemoryMarshal.AsBytes(table.Codes.AsSpan()));
        if (table.Targets is { } targets)
            crc.Append(MemoryMarshal.AsBytes(targets.AsSpan()));
        return new DataFingerprint(table.Count, table.Numeric.Cols + table.CategoricalCount, crc.GetCurrentHashAsUInt32());
    }
}
