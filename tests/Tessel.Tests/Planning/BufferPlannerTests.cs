using Tessel.Planning;

namespace Tessel.Tests.Planning;

public sealed class BufferPlannerTests
{
    [Fact]
    public void A_buffer_is_reused_after_its_last_reader_but_never_by_that_reader()
    {
        // x -> a -> b -> c -> y, all of one size: a's buffer is free after step 1 and serves c.
        var planner = new BufferPlanner();
        planner.Steps.Add((["x"], ["a"]));
        planner.Steps.Add((["a"], ["b"]));
        planner.Steps.Add((["b"], ["c"]));
        planner.Steps.Add((["c"], ["y"]));
        var (lengths, buffers) = planner.Assign(_ => 8, new HashSet<string> { "x", "y" });
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
        planner.Steps.Add((["x"], ["a"]));
        planner.Steps.Add((["a"], ["v"]));
        planner.Alias("v", "a");
        planner.Steps.Add((["x"], ["b"]));
        planner.Steps.Add((["v", "b"], ["c"]));
        planner.Steps.Add((["c"], ["y"]));
        var (_, buffers) = planner.Assign(_ => 4, new HashSet<string> { "x", "y" });
        Assert.Equal(buffers["a"], buffers["v"]);
        Assert.Equal("a", planner.Root("v"));
        Assert.Equal(5, buffers.Values.Distinct().Count());
        Assert.DoesNotContain(buffers.Where(p => p.Key != "x"), p => p.Value == buffers["x"]);
    }

    [Fact]
    public void Buffers_of_different_sizes_are_not_shared()
    {
        var planner = new BufferPlanner();
        planner.Steps.Add((["x"], ["a"]));
        planner.Steps.Add((["a"], ["b"]));
        planner.Steps.Add((["b"], ["c"]));
        var (lengths, buffers) = planner.Assign(t => t == "c" ? 16 : 8, new HashSet<string> { "x" });
        Assert.Equal(16, lengths[buffers["c"]]);
        Assert.NotEqual(buffers["a"], buffers["c"]);
    }
}
