using Tessel.Measure;
using Tessel.Tests.Support;

namespace Tessel.Tests.Measure;

public sealed class CoalescingMeasurerTests
{
    private static IReadOnlyList<MeasureInput> Inputs(int n, int from, int count)
    {
        var task = ToyTemplate.Task(n);
        return Enumerable.Range(from, count).Select(i => new MeasureInput(task, task.Space.Get(i))).ToList();
    }

    [Fact]
    public async Task Batches_of_loops_side_by_side_go_to_the_inner_measurer_as_one_and_each_gets_its_own_results()
    {
        var inner = new StandInMeasurer();
        var gathered = new CoalescingMeasurer(inner, participants: 3);
        var asked = new[] { Inputs(48, 0, 1), Inputs(40, 5, 4), Inputs(24, 2, 2) };
        var heard = asked.Select(_ => new List<(int, MeasureResult)>()).ToArray();

        var first = gathered.MeasureAsync(asked[0], onResult: (i, r) => heard[0].Add((i, r)));
        var second = gathered.MeasureAsync(asked[1], onResult: (i, r) => heard[1].Add((i, r)));
        Assert.False(first.IsCompleted);
        Assert.Empty(inner.Batches);
        var third = gathered.MeasureAsync(asked[2], onResult: (i, r) => heard[2].Add((i, r)));
        var results = await Task.WhenAll(first, second, third);

        Assert.Equal([7], inner.Batches);
        Assert.Equal(1, gathered.Flushes);
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(asked[k].Count, results[k].Count);
            for (var i = 0; i < asked[k].Count; i++)
                Assert.Equal(StandInMeasurer.DefaultCost(asked[k][i].Config), results[k][i].MeanCost);
            Assert.Equal(Enumerable.Range(0, asked[k].Count), heard[k].Select(h => h.Item1));
            Assert.Equal(results[k], heard[k].Select(h => h.Item2));
        }
    }

    [Fact]
    public async Task A_loop_that_leaves_is_no_longer_waited_for()
    {
        var inner = new StandInMeasurer();
        var gathered = new CoalescingMeasurer(inner, participants: 2);
        var waiting = gathered.MeasureAsync(Inputs(48, 0, 2));
        Assert.False(waiting.IsCompleted);
        gathered.Leave();
        Assert.Equal(2, (await waiting).Count);
        Assert.Equal([2], inner.Batches);
    }

    [Fact]
    public async Task A_cancelled_loop_stops_waiting_and_its_batch_is_not_measured()
    {
        var inner = new StandInMeasurer();
        var gathered = new CoalescingMeasurer(inner, participants: 2);
        using var cancel = new CancellationTokenSource();
        var cancelled = gathered.MeasureAsync(Inputs(48, 0, 3), cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gathered.Leave();

        Assert.Single(await gathered.MeasureAsync(Inputs(40, 0, 1)));
        Assert.Equal([1], inner.Batches);
    }

    [Fact]
    public async Task A_failure_of_the_inner_measurer_reaches_every_loop_of_the_batch()
    {
        var gathered = new CoalescingMeasurer(new ThrowingMeasurer(), participants: 2);
        var a = gathered.MeasureAsync(Inputs(48, 0, 1));
        var b = gathered.MeasureAsync(Inputs(40, 0, 1));
        Assert.Equal("inner failed", (await Assert.ThrowsAsync<InvalidOperationException>(() => a)).Message);
        Assert.Equal("inner failed", (await Assert.ThrowsAsync<InvalidOperationException>(() => b)).Message);
    }

    [Fact]
    public async Task More_batches_than_loops_or_more_leaves_than_loops_are_errors()
    {
        var gathered = new CoalescingMeasurer(new StandInMeasurer(), participants: 1);
        gathered.Leave();
        Assert.Throws<InvalidOperationException>(() => gathered.Leave());
        await Assert.ThrowsAsync<InvalidOperationException>(() => gathered.MeasureAsync(Inputs(48, 0, 1)));
    }

    private sealed class ThrowingMeasurer : IMeasurer
    {
        public Task<IReadOnlyList<MeasureResult>> MeasureAsync(
            IReadOnlyList<MeasureInput> inputs, CancellationToken cancellationToken = default, Action<int, MeasureResult>? onResult = null) =>
            throw new InvalidOperationException("inner failed");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
