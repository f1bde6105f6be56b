using Tessel.Planning;

namespace Tessel.Tests.Planning;

public sealed class BufferPlannerTests
{
    [Fact]
    public void A_buffer_is_reused_after_its_last_reader_but_never_by_that_reader()
    {
        // x -> a -> b -> c -> y, all of one size: a's buffer is free after step 1 and serves c.
        var planner = new BufferPlanner();
        planner.Step(["x"], ["a"]);
        planner.Step(["a"], ["b"]);
        planner.Step(["b"], ["c"]);
        planner.Step(["c"], ["y"]);
        var (lengths, buffers, _) = planner.Assign(_ => 8, new HashSet<string> { "x", "y" });
        Assert.Equal(buffers["a"], buffers["c"]);
        Assert.NotEqual(buffers["a"], buffers["b"]);
        Assert.NotEqual(buffers["b"], buffers["c"]);
        Assert.Equal(5, buffers.Count);
        Assert.Equal(4, buffers.Values.Distinct().Count());
        Assert.Equal(4, lengths.Length);
    }

    [Fact]
    public void A_view_keeps_its_source_alive_and_pinned_tensors_are_never_shared()
    {
        // a is viewed as v; v is read at step 3, so a's buffer cannot serve b or c before that.
        var planner = new BufferPlanner();
        planner.Step(["x"], ["a"]);
        planner.Step(["a"], ["v"]);
        planner.Alias("v", "a");
        planner.Step(["x"], ["b"]);
        planner.Step(["v", "b"], ["c"]);
        planner.Step(["c"], ["y"]);
        var (_, buffers, _) = planner.Assign(_ => 4, new HashSet<string> { "x", "y" });
        Assert.Equal(buffers["a"], buffers["v"]);
        Assert.Equal("a", planner.Root("v"));
        Assert.Equal(5, buffers.Values.Distinct().Count());
        Assert.DoesNotContain(buffers.Where(p => p.Key != "x"), p => p.Value == buffers["x"]);
    }

    [Fact]
    public void Buffers_of_different_sizes_are_not_shared()
    {
        var planner = new BufferPlanner();
        planner.Step(["x"], ["a"]);
        planner.Step(["a"], ["b"]);
        planner.Step(["b"], ["c"]);
        var (lengths, buffers, _) = planner.Assign(t => t == "c" ? 16 : 8, new HashSet<string> { "x" });
        Assert.Equal(16, lengths[buffers["c"]]);
        Assert.NotEqual(buffers["a"], buffers["c"]);
    }

    [Fact]
    public void A_tensor_sized_by_its_shape_takes_a_longer_free_buffer_or_grows_one()
    {
        // After step 2, p (12) and q (8) are free: b (6) takes the best fit, q's; c (14) is longer than any free buffer
        // and grows the longest, p's.
        var planner = new BufferPlanner();
        planner.Step(["x"], ["p"], sizedByShape: true);
        planner.Step(["x"], ["q"], sizedByShape: true);
        planner.Step(["p", "q"], ["r"], sizedByShape: true);
        planner.Step(["r"], ["b"], sizedByShape: true);
        planner.Step(["b"], ["c"], sizedByShape: true);
        planner.Step(["c"], ["y"], sizedByShape: true);
        var sizes = new Dictionary<string, int> { ["x"] = 4, ["p"] = 12, ["q"] = 8, ["r"] = 2, ["b"] = 6, ["c"] = 14, ["y"] = 4 };
        var (lengths, buffers, _) = planner.Assign(t => sizes[t], new HashSet<string> { "x", "y" });
        Assert.Equal(buffers["q"], buffers["b"]);
        Assert.Equal(buffers["p"], buffers["c"]);
        Assert.Equal(14, lengths[buffers["c"]]);
        Assert.All(sizes.Keys, t => Assert.True(lengths[buffers[t]] >= sizes[t], t));
        Assert.Equal(5, lengths.Length);
    }

    [Fact]
    public void A_tensor_a_step_sizes_by_its_buffer_gets_only_a_buffer_of_its_own_length()
    {
        // b is read by a step that takes its extent from the array (an Add, most plain ops): never a's longer buffer,
        // and a buffer a shape-sized tensor may have grown never serves it.
        var planner = new BufferPlanner();
        planner.Step(["x"], ["a"], sizedByShape: true);
        planner.Step(["a"], ["b"], sizedByShape: true);
        planner.Step(["b"], ["y"]);
        var (lengths, buffers, _) = planner.Assign(t => t == "a" ? 16 : 8, new HashSet<string> { "x", "y" });
        Assert.NotEqual(buffers["a"], buffers["b"]);
        Assert.Equal(8, lengths[buffers["b"]]);
    }

    [Fact]
    public void A_buffer_left_by_a_shape_sized_tensor_serves_a_tensor_of_its_length_and_then_never_grows()
    {
        // a (8, shape-sized) is free after step 1 and b (8, written by a step that sizes it by its array) takes it. When d
        // (10) comes, b's buffer (8) and p's (4) are free and neither fits: p's grows, b's may not.
        var planner = new BufferPlanner();
        planner.Step(["x"], ["a"], sizedByShape: true);
        planner.Step(["a"], ["p"], sizedByShape: true);
        planner.Step(["x"], ["b"]);
        planner.Step(["p", "b"], ["c"], sizedByShape: true);
        planner.Step(["c"], ["d"], sizedByShape: true);
        planner.Step(["d"], ["y"], sizedByShape: true);
        var sizes = new Dictionary<string, int> { ["x"] = 4, ["a"] = 8, ["p"] = 4, ["b"] = 8, ["c"] = 12, ["d"] = 10, ["y"] = 4 };
        var (lengths, buffers, _) = planner.Assign(t => sizes[t], new HashSet<string> { "x", "y" });
        Assert.Equal(buffers["a"], buffers["b"]);
        Assert.Equal(8, lengths[buffers["b"]]);
        Assert.Equal(buffers["p"], buffers["d"]);
        Assert.Equal(10, lengths[buffers["d"]]);
    }
}
