using Tessel.Graph.Zoo;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Tests.Spaces;

public sealed class FactorSplitTests
{
    [Fact]
    public void A_factor_split_target_keeps_only_dividing_tiles_and_a_default_config()
    {
        var target = Target.Host.WithFactorSplits();
        Assert.EndsWith(" -split=factors", target.Text);
        Assert.Equal(target, target.WithFactorSplits());
        foreach (var extracted in TaskExtraction.Extract(ModelZoo.Build("mobilenetv2_1.0"), target))
        {
            var task = extracted.Task;
            var full = new TuningTask(task.Template, task.Workload, Target.Host);
            Assert.True(task.Space.Size < full.Space.Size || full.Space.Knobs.OfType<SplitKnob>().All(k => k.Candidates.Cast<SplitValue>().All(v => k.Extent % v.Product == 0)));
            foreach (var split in task.Space.Knobs.OfType<SplitKnob>())
                Assert.All(split.Candidates.Cast<SplitValue>(), v => Assert.Equal(0, split.Extent % v.Product));
            // The default config exists there (the template's own, moved to the nearest dividing tiles).
            Assert.Same(task.Space, task.DefaultConfig.Space);
        }
    }
}
