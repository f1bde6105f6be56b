using Tessel.Measure;

namespace Tessel.Bench;

/// <summary>The kernel benchmark's layers that stream their weights (a dense layer at batch 1: each weight read once a
/// call), against the read bandwidth measured in the same run at the same thread count: the weight's bytes over a
/// call's median time, for Tessel's tuned kernel and ONNX Runtime, beside a read of an array of the weight's size again
/// and again (the cache level the weight stays in while the kernels are timed warm, call after call) and of 128 MiB
/// (main memory, the roof of the layer met cold in a large model).</summary>
public static class WeightReadTable
{
    public sealed record Entry(KernelBench.Row Row, WeightRead One, WeightRead Two);

    public static string Markdown(IReadOnlyList<Entry> entries)
    {
        var lines = new List<string>
        {
            "| layer | threads | Tessel GFLOP/s | ORT GFLOP/s | Tessel/ORT | Tessel GB/s | ORT GB/s | read of the weight's size GB/s | Tessel % of it | read of 128 MiB GB/s | Tessel % of it |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        };
        foreach (var (row, one, two) in entries)
        {
            lines.Add(Line(row.Layer, row.Gflop, row.Tessel1, row.Ort1, one));
            lines.Add(Line(row.Layer, row.Gflop, row.Tessel2, row.Ort2, two));
        }
        lines.Add("");
        lines.Add("GB/s = the weight's bytes / a call's median time (warm, as tuned). The read bandwidths are each the best of 5 samples of 20 ms " +
                  "(MemoryBandwidth: every thread its own contiguous share, 8 vector sums a thread).");
        return string.Join("\n", lines);
    }

    private static string Line(string layer, double gflop, double tessel, double ort, WeightRead read)
    {
        // GFLOP/s back to seconds: a call is gflop / (GFLOP/s) seconds.
        double tesselGBs = read.Achieved(gflop / tessel), ortGBs = read.Achieved(gflop / ort);
        return $"| {layer} | {read.Threads} | {Stats.F(tessel)} | {Stats.F(ort)} | {Stats.F(tessel / ort, 2)} | {Stats.F(tesselGBs)} | {Stats.F(ortGBs)} | " +
               $"{Stats.F(read.CacheGBs)} | {Stats.F(100 * tesselGBs / read.CacheGBs)}% | {Stats.F(read.MemoryGBs)} | {Stats.F(100 * tesselGBs / read.MemoryGBs)}% |";
    }
}
