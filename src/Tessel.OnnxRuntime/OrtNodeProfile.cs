using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace Tessel.OnnxRuntime;

/// <summary>One node of ONNX Runtime's optimised graph and its median seconds per run: <see cref="Node"/> is
/// the name ORT gave it and <see cref="OpType"/> the kernel ORT ran (Conv, ReorderOutput, ...).</summary>
public sealed record OrtNodeTime(string Node, string OpType, double Seconds)
{
    private const string Blocked = "_nchwc";

    /// <summary>The original node or tensor this node stands for: ORT names a node it rewrote to its blocked
    /// layout after the tensor the fused group writes, plus "_nchwc" ("clip2_nchwc" for Conv_0 with its
    /// BatchNormalization and Clip, which write clip2); other nodes keep their own names.</summary>
    public string Layer => Node.EndsWith(Blocked, StringComparison.Ordinal) ? Node[..^Blocked.Length] : Node;
}

/// <summary>Where ONNX Runtime's time goes inside a model, from its own profiler: the per-node kernel times
/// of <paramref name="runs"/> runs (after one warm-up), medians per node. Set beside Tessel's own per-step
/// profile, it shows which layers lose to ORT inside the model, not only alone.</summary>
public static class OrtNodeProfile
{
    public static IReadOnlyList<OrtNodeTime> Measure(byte[] model, int threads, float[] data, int[] shape, int runs = 21)
    {
        var folder = Directory.CreateTempSubdirectory("tessel-ort-profile-");
        try
        {
            string file;
            using (var options = OrtReference.Options(threads))
            {
                // The prefix first: ORT takes it when profiling is switched on.
                options.ProfileOutputPathPrefix = Path.Combine(folder.FullName, "ort");
                options.EnableProfiling = true;
                using var session = new InferenceSession(model, options);
                var inputName = session.InputMetadata.Keys.Single();
                var outputNames = session.OutputMetadata.Keys.ToArray();
                using var input = OrtValue.CreateTensorValueFromMemory(data, shape.Select(d => (long)d).ToArray());
                using var runOptions = new RunOptions();
                for (var r = 0; r <= runs; r++)
                {
                    using var outputs = session.Run(runOptions, [inputName], [input], outputNames);
                }
                file = session.EndProfiling();
            }
            var path = Path.GetFullPath(file);
            try
            {
                return Parse(File.ReadAllText(path));
            }
            finally
            {
                File.Delete(path);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Reads ORT's Chrome-trace profile: each "Node" event named "NAME_kernel_time" is one run of a
    /// node's kernel, "dur" in microseconds. A node's first run (the warm-up) is dropped.</summary>
    public static IReadOnlyList<OrtNodeTime> Parse(string json)
    {
        const string suffix = "_kernel_time";
        using var trace = JsonDocument.Parse(json);
        var order = new List<string>();
        var runs = new Dictionary<string, (string Op, List<double> Seconds)>(StringComparer.Ordinal);
        foreach (var e in trace.RootElement.EnumerateArray())
        {
            if (!e.TryGetProperty("cat", out var cat) || cat.GetString() != "Node") continue;
            var name = e.GetProperty("name").GetString() ?? "";
            if (!name.EndsWith(suffix, StringComparison.Ordinal)) continue;
            var node = name[..^suffix.Length];
            var op = e.TryGetProperty("args", out var args) && args.TryGetProperty("op_name", out var o) ? o.GetString() ?? "" : "";
            if (!runs.TryGetValue(node, out var entry)) { runs[node] = entry = (op, []); order.Add(node); }
            entry.Seconds.Add(e.GetProperty("dur").GetDouble() * 1e-6);
        }
        return order.Select(node =>
        {
            var (op, seconds) = runs[node];
            var timed = seconds.Skip(seconds.Count > 1 ? 1 : 0).Order().ToList();
            return new OrtNodeTime(node, op, timed[timed.Count / 2]);
        }).ToList();
    }
}
