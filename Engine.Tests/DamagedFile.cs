namespace Engine.Tests;

/// <summary>Damaged copies of a saved model or checkpoint, and the check that its reader refuses them.</summary>
internal static class DamagedFile
{
    /// <summary>
    /// Writes <paramref name="bytes"/> over <paramref name="path"/> and checks that <paramref name="load"/> refuses
    /// the file with a <see cref="ModelFormatException"/>; returns it so the caller can check the message.
    /// </summary>
    public static ModelFormatException Refused(string path, byte[] bytes, Action<string> load)
    {
        File.WriteAllBytes(path, bytes);
        return Assert.Throws<ModelFormatException>(() => load(path));
    }

    /// <summary>A copy of <paramref name="bytes"/> with one bit of byte <paramref name="index"/> flipped.</summary>
    public static byte[] Flipped(byte[] bytes, int index)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[index] ^= 0x10;
        return copy;
    }
}
