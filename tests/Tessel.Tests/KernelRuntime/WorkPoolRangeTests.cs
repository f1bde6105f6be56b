using Tessel.KernelRuntime;

namespace Tessel.Tests.Codegen;

/// <summary>How <see cref="WorkPool.ForRanges"/> splits: alone in the test run, so that no other test's job holds the
/// pool (its caller would then run on the <c>Parallel.For</c> fallback, which keeps no ranges).</summary>
[Collection(WorkPoolAloneCollection.Name)]
public class WorkPoolRangeTests
{
    /// <summary>Any thread takes the items of one range in order (its own range, then what is left of another's): a dense
    /// kernel's thread streams its weight panels front to back. (Which thread runs which item depends on who comes when:
    /// a caller preempted right after posting the job may find its range taken.)</summary>
    [Fact]
    public void Every_range_is_taken_in_order()
    {
        const int items = 64;
        for (var job = 0; job < 100; job++)
        {
            var order = new List<(int Thread, int Item)>();
            WorkPool.ForRanges(items, 2, i => { lock (order) order.Add((Environment.CurrentManagedThreadId, i)); Thread.SpinWait(200); });
            Assert.Equal(Enumerable.Range(0, items), order.Select(o => o.Item).Order());
            foreach (var thread in order.GroupBy(o => o.Thread))
            foreach (var range in thread.GroupBy(o => o.Item < items / 2))
                Assert.Equal(range.Select(o => o.Item).Order(), range.Select(o => o.Item));
        }
    }

    /// <summary>With two threads and items slow enough for the worker to join, each thread runs mostly its own range:
    /// the caller the first half, the worker the second.</summary>
    [Fact]
    public void With_both_threads_in_the_job_each_runs_its_own_half()
    {
        if (Environment.ProcessorCount < 2) return;
        const int items = 16;
        var caller = Environment.CurrentManagedThreadId;
        var own = 0;
        for (var job = 0; job < 20; job++)
        {
            var ranBy = new int[items];
            WorkPool.ForRanges(items, 2, i => { ranBy[i] = Environment.CurrentManagedThreadId; Thread.Sleep(1); });
            own += Enumerable.Range(0, items).Count(i => (ranBy[i] == caller) == (i < items / 2));
        }
        // Stealing moves items only when a thread comes late; most land in their owner's range.
        Assert.True(own > 20 * items * 3 / 4, $"{own} of {20 * items} items ran in their owner's range");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkPoolAloneCollection
{
    public const string Name = "work pool alone";
}
