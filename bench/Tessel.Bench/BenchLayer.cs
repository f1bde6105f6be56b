using Tessel.Tasks;
using Tessel.Templates.Conv2d;

namespace Tessel.Bench;

/// <summary>One operator benchmarked on its own: a name a reader recognises and the task that tunes it.</summary>
public sealed record BenchLayer(string Name, TuningTask Task)
{
    public static BenchLayer Conv(string name, int c, int hw, int oc, int k, int stride, int pad) =>
        new(name, new TuningTask(Conv2dNchwTemplate.Instance,
            Conv2dNchwTemplate.Workload([1, c, hw, hw], [oc, c, k, k], [stride, stride], [pad, pad, pad, pad], [1, 1], 1), Target.Host));
}
