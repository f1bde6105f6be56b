using Tessel.Spaces;
using Tessel.Tuners.Model;

namespace Tessel.Tests.Tuners.Model;

public class SimulatedAnnealingTests
{
    [Fact]
    public void Annealing_finds_the_top_of_a_known_score_and_skips_excluded_configs()
    {
        var space = new ConfigSpace();
        space.Define(new SplitKnob("a", 64));
        space.Define(new SplitKnob("b", 64));
        space.Define(new ChoiceKnob("c", "x", "y", "z"));
        // Highest at a = 16, b = 4, c = "y"; the very best config is excluded (already measured).
        double Score(ConfigEntity e) => -Math.Abs(Math.Log2(e.Tile("a")) - 4) - Math.Abs(Math.Log2(e.Tile("b")) - 2) - (e.Choice("c") == "y" ? 0 : 1);
        var top = space.FromValues(new Dictionary<string, KnobValue>
        {
            ["a"] = new SplitValue([16]), ["b"] = new SplitValue([4]), ["c"] = new ChoiceValue("y"),
        })!;
        var found = new SimulatedAnnealing().FindMaximums(space, Score, 8, i => i == top.Index, [], new Random(1));
        Assert.Equal(8, found.Count);
        Assert.DoesNotContain(found, c => c.Index == top.Index);
        Assert.Equal(8, found.Select(c => c.Index).Distinct().Count());
        // The next best configs are one tile step from the top: score -1 for a single-knob step, -0.58 for 16 -> 24 etc.
        Assert.All(found, c => Assert.True(Score(c) > -1.01, $"{c} scores {Score(c):F2}"));
    }
}
