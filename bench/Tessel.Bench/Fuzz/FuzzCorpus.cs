using Tessel.Graph.Zoo;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Bench.Fuzz;

/// <summary>What the fuzzer damages: the shared real ONNX models, and a Tessel log with records of every
/// template (random configs of ResNet-18's tasks; the costs are made up — only the reader sees them).</summary>
public static class FuzzCorpus
{
    public static IReadOnlyList<string> Models(string sharedModels) =>
        new[] { "blazeface-front-128.onnx", "ppocr-mobile-v2.0-cls.onnx" }.Select(m => Path.Combine(sharedModels, m)).Where(File.Exists).ToList();

    public static string WriteTesselLog(string path, int seed)
    {
        var random = new Random(seed);
        File.Delete(path);
        using var writer = new RecordWriter(path);
        foreach (var task in TaskExtraction.Extract(ModelZoo.Build("resnet18_v1"), Target.Host).Select(t => t.Task))
            for (var i = 0; i < 3; i++)
            {
                var config = task.Space.Get(random.NextInt64(task.Space.Size));
                var result = i == 2
                    ? MeasureResult.Error(MeasureErrorNo.RunTimeout, "made up")
                    : new MeasureResult([1e-4 * (1 + random.NextDouble()), 1e-4 * (1 + random.NextDouble())], MeasureErrorNo.NoError, 0.2, 1.7e9 + i);
                writer.Append(TuningRecord.From(new MeasureInput(task, config), result));
            }
        return path;
    }
}
