using Tessel.Measure.Protocol;
using Tessel.Measure.Timing;

namespace Tessel.Tests.Measure;

public sealed class RepeatTimerTests
{
    /// <summary>A fake clock on which every kernel call takes <paramref name="ticksPerCall"/> ticks.</summary>
    private sealed class FakeKernel(long ticksPerCall)
    {
        public long Now;
        public long Calls;
        public void Run(long calls) { Calls += calls; Now += calls * ticksPerCall; }
    }

    [Fact]
    public void Pilot_raises_the_calls_until_a_repeat_lasts_the_minimum()
    {
        var kernel = new FakeKernel(ticksPerCall: 1_000); // 1 us at 1e9 ticks/s
        var timer = new RepeatTimer(() => kernel.Now, 1_000_000_000);
        var calls = timer.PilotCalls(kernel.Run, number: 1, minRepeatMs: 20);
        Assert.InRange(calls, 20_000, 20_100);
        var costs = timer.Repeats(kernel.Run, calls, repeat: 3, cooldownMs: 0);
        Assert.Equal(3, costs.Length);
        Assert.All(costs, c => Assert.Equal(1e-6, c, 12));
    }

    [Fact]
    public void A_pilot_run_preempted_once_does_not_size_the_repeats()
    {
        // 1 us calls; the second pilot run (2 calls) loses 5 ms to another process, as on a loaded 2-core host.
        var kernel = new FakeKernel(ticksPerCall: 1_000);
        var runs = 0;
        var timer = new RepeatTimer(() => kernel.Now, 1_000_000_000);
        var calls = timer.PilotCalls(n => { if (++runs == 2) kernel.Now += 5_000_000; kernel.Run(n); }, number: 1, minRepeatMs: 2);
        Assert.InRange(calls, 2_000, 2_100);
    }

    [Fact]
    public void Slow_kernel_keeps_the_asked_number()
    {
        var kernel = new FakeKernel(ticksPerCall: 50_000_000); // 50 ms
        var timer = new RepeatTimer(() => kernel.Now, 1_000_000_000);
        Assert.Equal(2, timer.PilotCalls(kernel.Run, number: 2, minRepeatMs: 20));
        Assert.Equal(5, timer.PilotCalls(kernel.Run, number: 5, minRepeatMs: 0));
    }

    [Fact]
    public void Cooldown_sleeps_between_repeats_only()
    {
        var kernel = new FakeKernel(ticksPerCall: 10);
        var sleeps = new List<double>();
        var timer = new RepeatTimer(() => kernel.Now, 1_000_000_000, sleeps.Add);
        timer.Repeats(kernel.Run, 4, repeat: 3, cooldownMs: 5);
        Assert.Equal([5.0, 5.0], sleeps);
    }

    [Fact]
    public async Task Messages_round_trip_through_the_pipe()
    {
        using var stream = new MemoryStream();
        var spec = new RunSpec(1, 3, 20, 1, 0, 1, true, 1e-3);
        await MessagePipe.WriteAsync(stream, new MeasureKernelRequest("key", "img", "K_0_AB", spec));
        MessagePipe.Write(stream, new LoadTaskRequest("key", MessagePipe.ToBytes([1f, -2.5f]), [], []));
        stream.Position = 0;
        var first = Assert.IsType<MeasureKernelRequest>(await MessagePipe.ReadAsync(stream));
        Assert.Equal(spec, first.Spec);
        Assert.Equal("K_0_AB", first.ClassName);
        var second = Assert.IsType<LoadTaskRequest>(MessagePipe.Read(stream));
        Assert.Equal([1f, -2.5f], MessagePipe.ToFloats(second.Data));
        Assert.Null(await MessagePipe.ReadAsync(stream));
    }
}
