using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tessel.Spaces;

namespace Tessel.Tests.Spaces;

public class ConfigSpaceTests
{
    private static ConfigSpace Sample()
    {
        var space = new ConfigSpace();
        space.Define(new SplitKnob("tile_oc", 64, SplitPolicy.All, maxFactor: 32));
        space.Define(new SplitKnob("tile_ow", 56, SplitPolicy.Factors, outputs: 3));
        space.Define(new ReorderKnob("order", ["oc", "oh", "ic"]));
        space.Define(new AnnotateKnob("unroll_kw", ["kw"], [["unroll"], ["none"]]));
        space.Define(new ChoiceKnob("vec", "ow", "oc"));
        return space;
    }

    [Property(MaxTest = 500)]
    public bool Index_to_entity_and_back_is_identity(NonNegativeInt seed)
    {
        var space = Sample();
        var index = (long)seed.Get % space.Size;
        var entity = space.Get(index);
        return space.FromDigits(entity.Digits).Index == index
            && space.FromEntityJson(entity.EntityJson()).Index == index;
    }

    [Fact]
    public void First_defined_knob_is_the_least_significant_digit()
    {
        var space = Sample();
        Assert.Equal(1, space.Get(1).Digits[0]);
        Assert.Equal(0, space.Get(1).Digits[1]);
        Assert.Equal(1, space.Get(space.Knobs[0].Count).Digits[1]);
    }

    [Fact]
    public void Split_all_includes_non_factors_and_respects_the_max()
    {
        var knob = new SplitKnob("t", 56, SplitPolicy.All, maxFactor: 20);
        Assert.Equal(20, knob.Count);
        Assert.Contains(new SplitValue([3]), knob.Candidates);
        Assert.Equal(new[] { 1, 2, 4, 7, 8, 14, 28, 56 }, new SplitKnob("f", 56, SplitPolicy.Factors).Candidates.Cast<SplitValue>().Select(v => v.Innermost));
        Assert.Equal(new[] { 1, 2, 4, 8, 16, 32 }, new SplitKnob("p", 56, SplitPolicy.Power2).Candidates.Cast<SplitValue>().Select(v => v.Innermost));
    }

    [Fact]
    public void Entity_json_has_autotvm_shape()
    {
        var json = Sample().Get(5).ToJson().ToJsonString();
        Assert.StartsWith("{\"index\":5,\"code_hash\":null,\"entity\":[[\"tile_oc\",\"sp\",[-1,6]]", json);
    }

    [Fact]
    public void Huge_space_is_indexable_without_materialising()
    {
        var space = new ConfigSpace();
        for (var i = 0; i < 6; i++) space.Define(new SplitKnob($"t{i}", 100));
        Assert.Equal(1_000_000_000_000L, space.Size);
        var last = space.Get(space.Size - 1);
        Assert.All(last.Digits, d => Assert.Equal(99, d));
    }
}
