namespace Tessel.Bench.Fuzz;

/// <summary>Damage that knows nothing of the format: a file cut short, flipped bits, bytes overwritten,
/// a span deleted or repeated — what a disk, a network copy or a killed writer does to a file.</summary>
public static class ByteMutations
{
    public static readonly string[] Kinds = ["truncate", "bit-flips", "overwrite", "delete-span", "repeat-span"];

    public static byte[] Apply(string kind, byte[] input, Random random)
    {
        if (input.Length == 0) return input;
        var bytes = (byte[])input.Clone();
        switch (kind)
        {
            case "truncate":
                return bytes[..random.Next(bytes.Length)];
            case "bit-flips":
                for (var i = random.Next(1, 9); i > 0; i--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case "overwrite":
                for (var i = random.Next(1, 17); i > 0; i--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case "delete-span":
            {
                var (start, length) = Span(bytes.Length, random);
                return [.. bytes[..start], .. bytes[(start + length)..]];
            }
            case "repeat-span":
            {
                var (start, length) = Span(bytes.Length, random);
                return [.. bytes[..(start + length)], .. bytes[start..]];
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown byte mutation");
        }
    }

    private static (int Start, int Length) Span(int size, Random random)
    {
        var start = random.Next(size);
        return (start, random.Next(1, Math.Min(64, size - start) + 1));
    }
}
