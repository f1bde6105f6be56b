using Tessel.KernelRuntime;


namespace Tessel.Tests.Codegen;

/// <summary>The fork-join kernels and steps share work through: every item once, errors to the caller, and
/// callers that overlap (another thread's job, a job started from inside a work item) still get all their items.</summary>
public class WorkPoolTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(7, 2)]
    [InlineData(1000, 2)]
    [InlineData(1000, 64)]
    public void Every_item_runs_exactly_once(int items, int threads)
    {
        for (var job = 0; job < 200; job++)
        {
            var runs = new int[items];
            WorkPool.For(items, threads, i => Interlocked.Increment(ref runs[i]));
            Assert.All(runs, r => Assert.Equal(1, r));
        }
    }

    [Fact]
    public void Jobs_after_an_idle_spell_wake_the_sleeping_workers()
    {
        for (var round = 0; round < 5; round++)
        {
            Thread.Sleep(20); // past the workers' spinning time: they sleep
            var runs = new int[64];
            WorkPool.For(64, 2, i => { Thread.SpinWait(2000); Interlocked.Increment(ref runs[i]); });
            Assert.All(runs, r => Assert.Equal(1, r));
        }
    }

    [Fact]
    public void An_exception_in_a_work_item_reaches_the_caller_and_the_pool_goes_on()
    {
        var error = Assert.Throws<InvalidOperationException>(() => WorkPool.For(100, 2, i => { if (i == 37) throw new InvalidOperationException("item 37"); }));
        Assert.Equal("item 37", error.Message);
        var runs = new int[100];
        WorkPool.For(100, 2, i => Interlocked.Increment(ref runs[i]));
        Assert.All(runs, r => Assert.Equal(1, r));
    }

    [Fact]
    public void Overlapping_and_nested_callers_get_all_their_items()
    {
        var outer = new int[8 * 16];
        Parallel.For(0, 4, _ =>
        {
            for (var job = 0; job < 50; job++)
            {
                var runs = new int[16];
                WorkPool.For(8, 2, i => WorkPool.For(16, 2, j => Interlocked.Increment(ref runs[j])));
                Assert.All(runs, r => Assert.Equal(8, r));
            }
        });
        WorkPool.For(8, 2, i => WorkPool.For(16, 2, j => Interlocked.Increment(ref outer[i * 16 + j])));
        Assert.All(outer, r => Assert.Equal(1, r));
    }
}
