using Tessel.KernelRuntime;


namespace Tessel.Tests.Codegen;

/// <summary>The fork-join kernels and steps share work through: every item once, errors to the caller, and
/// callers that overlap (another thread's job, a job started from inside a work item) still get all their items.</summary>
public class WorkPoolTests
{
    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(1, 2, false)]
    [InlineData(7, 2, false)]
    [InlineData(1000, 2, false)]
    [InlineData(1000, 64, false)]
    [InlineData(1, 2, true)]
    [InlineData(7, 2, true)]
    [InlineData(1000, 2, true)]
    [InlineData(1000, 64, true)]
    public void Every_item_runs_exactly_once(int items, int threads, bool ranges)
    {
        for (var job = 0; job < 200; job++)
        {
            var runs = new int[items];
            Action<int> body = i => Interlocked.Increment(ref runs[i]);
            if (ranges) WorkPool.ForRanges(items, threads, body);
            else WorkPool.For(items, threads, body);
            Assert.All(runs, r => Assert.Equal(1, r));
        }
    }

    /// <summary>A pass over rows is cut into one contiguous range per thread that together cover every row once when the
    /// rows hold enough elements to pay for a second thread (a DenseNet BN pass: 256 channel planes of 56 x 56), and is
    /// one call otherwise (the same rows of 4 x 4 planes).</summary>
    [Theory]
    [InlineData(256, 56 * 56, 2)]
    [InlineData(256, 4 * 4, 1)]
    [InlineData(3, 1 << 20, 2)]
    public void A_pass_over_rows_goes_parallel_only_when_its_elements_pay_for_it(int rows, int rowElements, int expectedCalls)
    {
        if (Environment.ProcessorCount < 2) expectedCalls = 1;
        var ranges = new System.Collections.Concurrent.ConcurrentBag<(int From, int To)>();
        WorkPool.SplitRows(rows, rowElements, threads: 2, (from, to) => ranges.Add((from, to)))();
        Assert.Equal(expectedCalls, ranges.Count);
        Assert.Equal(Enumerable.Range(0, rows), ranges.OrderBy(r => r.From).SelectMany(r => Enumerable.Range(r.From, r.To - r.From)));
    }

    /// <summary>An element-wise pass covers every element once, and never hands over more than 16K elements at a time
    /// (64 KB: TensorPrimitives writes a span over 256 KB with non-temporal stores, past the cache the next step reads
    /// from), at one thread and at two.</summary>
    [Theory]
    [InlineData(1000, 1)]
    [InlineData(64 * 224 * 224, 1)]
    [InlineData(64 * 224 * 224 + 5, 2)]
    public void An_element_wise_pass_covers_every_element_once_in_pieces_under_the_non_temporal_threshold(int length, int threads)
    {
        var ranges = new System.Collections.Concurrent.ConcurrentBag<(int From, int To)>();
        WorkPool.Split(length, threads, (from, to) => ranges.Add((from, to)))();
        Assert.All(ranges, r => Assert.InRange(r.To - r.From, 1, 16 * 1024));
        var ordered = ranges.OrderBy(r => r.From).ToList();
        Assert.Equal(0, ordered[0].From);
        Assert.Equal(length, ordered[^1].To);
        for (var i = 1; i < ordered.Count; i++) Assert.Equal(ordered[i - 1].To, ordered[i].From);
    }

    [Theory]
    [InlineData(64, 49, 2)]
    [InlineData(3, 112 * 112 * 2, 1)]
    [InlineData(5, 40 * 1024 + 3, 2)]
    public void A_per_plane_pass_covers_each_plane_once_in_pieces_that_stay_inside_it(int planes, int plane, int threads)
    {
        var pieces = new System.Collections.Concurrent.ConcurrentBag<(int Plane, int At, int Length)>();
        WorkPool.SplitPlanes(planes, plane, threads, (p, at, length) => pieces.Add((p, at, length)))();
        Assert.All(pieces, x => Assert.InRange(x.Length, 1, 16 * 1024));
        Assert.All(pieces, x => Assert.InRange(x.At, x.Plane * plane, (x.Plane + 1) * plane - x.Length));
        var ordered = pieces.OrderBy(x => x.At).ToList();
        Assert.Equal(0, ordered[0].At);
        Assert.Equal(planes * plane, ordered[^1].At + ordered[^1].Length);
        for (var i = 1; i < ordered.Count; i++) Assert.Equal(ordered[i - 1].At + ordered[i - 1].Length, ordered[i].At);
    }

    /// <summary>Jobs of a few trivial items end before a worker has woken for them: the worker that comes late finds the
    /// job closed, and runs nothing of it, nor of the next job with the last one's body.</summary>
    [Fact]
    public void Workers_late_for_short_jobs_run_no_item_twice_or_of_another_job()
    {
        var runs = new int[3000, 3];
        for (var job = 0; job < 3000; job++)
        {
            var j = job;
            Action<int> body = i => Interlocked.Increment(ref runs[j, i]);
            if (job % 2 == 0) WorkPool.For(3, 2, body);
            else WorkPool.ForRanges(3, 2, body);
        }
        Assert.All(runs.Cast<int>(), r => Assert.Equal(1, r));
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_exception_in_a_work_item_reaches_the_caller_and_the_pool_goes_on(bool ranges)
    {
        Action<int, int, Action<int>> run = ranges ? WorkPool.ForRanges : WorkPool.For;
        var error = Assert.Throws<InvalidOperationException>(() => run(100, 2, i => { if (i == 37) throw new InvalidOperationException("item 37"); }));
        Assert.Equal("item 37", error.Message);
        var runs = new int[100];
        run(100, 2, i => Interlocked.Increment(ref runs[i]));
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
