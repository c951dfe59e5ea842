namespace Switchboard.Providers.Bedrock;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial <c>0xEDB88320</c>) as AWS's event-stream framing uses it for the prelude
/// and the whole message. Written here because <c>System.IO.Hashing</c> is a package Core does not take for eight lines.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = CreateTable();

    /// <summary>The CRC of <paramref name="data"/>, continuing from <paramref name="crc"/> (the CRC of what came before, 0 at the start).</summary>
    public static uint Compute(ReadOnlySpan<byte> data, uint crc = 0)
    {
        crc = ~crc;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
