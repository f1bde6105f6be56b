using System.Collections.Concurrent;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Measure;

/// <summary>The inputs every kernel of a task is measured on: random data and weight from a fixed seed, and
/// the expected output from the template's naive reference. Made once per workload and cached.</summary>
public sealed class TaskTensors
{
    public const int Seed = 20251;

    private static readonly ConcurrentDictionary<string, Lazy<TaskTensors>> Cache = new(StringComparer.Ordinal);

    private TaskTensors(string workloadKey, float[] data, float[] weight, float[] expected)
    {
        WorkloadKey = workloadKey;
        Data = data;
        Weight = weight;
        Expected = expected;
    }

    public string WorkloadKey { get; }
    public float[] Data { get; }
    public float[] Weight { get; }
    public float[] Expected { get; }

    public static TaskTensors For(TuningTask task) =>
        Cache.GetOrAdd(task.Workload.Key, _ => new Lazy<TaskTensors>(() => Create(task))).Value;

    private static TaskTensors Create(TuningTask task)
    {
        var shapes = task.Template.Shapes(task.Workload);
        var random = new Random(Seed);
        var data = Uniform(random, shapes.DataElements);
        var weight = Uniform(random, shapes.WeightElements);
        var expected = new float[checked((int)shapes.OutputElements)];
        task.Template.Reference(task.Workload, data, weight, expected);
        return new TaskTensors(task.Workload.Key, data, weight, expected);
    }

    private static float[] Uniform(Random random, long count)
    {
        var values = new float[checked((int)count)];
        for (var i = 0; i < values.Length; i++) values[i] = random.NextSingle() * 2 - 1;
        return values;
    }
}
