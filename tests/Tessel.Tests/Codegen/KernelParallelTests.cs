using Tessel.Codegen;

namespace Tessel.Tests.Codegen;

public sealed class KernelParallelTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(7, 2)]
    [InlineData(1000, 2)]
    [InlineData(1000, 8)]
    public void Every_index_runs_exactly_once(int count, int threads)
    {
        var hits = new int[count];
        KernelParallel.For(0, count, threads, i => Interlocked.Increment(ref hits[i]));
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void Loops_run_back_to_back_and_from_several_threads_at_once()
    {
        // Many short loops in a row (a model's kernels) from four callers: each sees all its indices done.
        var failures = 0;
        Parallel.For(0, 4, caller =>
        {
            for (var round = 0; round < 200; round++)
            {
                var sum = 0L;
                KernelParallel.For(0, 64, 2, i => Interlocked.Add(ref sum, i));
                if (sum != 64 * 63 / 2) Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
    }

    [Fact]
    public void An_exception_in_the_body_reaches_the_caller_and_the_pool_goes_on()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            KernelParallel.For(0, 100, 2, i => { if (i == 37) throw new InvalidOperationException("index 37"); }));
        Assert.Equal("index 37", e.Message);
        var count = 0;
        KernelParallel.For(0, 50, 2, _ => Interlocked.Increment(ref count));
        Assert.Equal(50, count);
    }
}
