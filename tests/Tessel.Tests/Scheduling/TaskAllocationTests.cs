using Tessel.Scheduling;

namespace Tessel.Tests.Scheduling;

public class TaskAllocationTests
{
    /// <summary>Plays rounds against made-up latency curves: task i's best after r rounds is start_i / (1 + 0.3 r).</summary>
    private static int[] Play(SchedulingStrategy strategy, (double Weight, double StartSeconds)[] tasks, int rounds)
    {
        var allocation = new TaskAllocation(tasks.Select((t, i) => (t.Weight, 1_000_000L, $"group{i}")).ToList(), strategy, seed: 1);
        var given = new int[tasks.Length];
        for (var r = 0; r < rounds; r++)
        {
            var i = allocation.Next();
            given[i]++;
            allocation.Report(i, tasks[i].StartSeconds / (1 + 0.3 * given[i]), canContinue: true);
        }
        Assert.Equal(given, allocation.Rounds);
        return given;
    }

    [Fact]
    public void Gradient_gives_more_rounds_to_the_task_with_higher_count_times_latency()
    {
        // Same latency, four times the occurrences; then same count, five times the latency.
        var byCount = Play(SchedulingStrategy.Gradient, [(4, 0.010), (1, 0.010)], 40);
        Assert.True(byCount[0] > 2 * byCount[1], $"rounds: {string.Join(", ", byCount)}");
        var byLatency = Play(SchedulingStrategy.Gradient, [(1, 0.002), (1, 0.010)], 40);
        Assert.True(byLatency[1] > 2 * byLatency[0], $"rounds: {string.Join(", ", byLatency)}");
    }

    [Fact]
    public void Round_robin_shares_rounds_evenly_whatever_the_weights()
    {
        var given = Play(SchedulingStrategy.RoundRobin, [(4, 0.010), (1, 0.002), (1, 0.005)], 30);
        Assert.Equal([10, 10, 10], given);
    }

    [Fact]
    public void Every_task_gets_a_round_before_any_gets_a_second_and_finished_tasks_get_none()
    {
        var allocation = new TaskAllocation([(1, 1L, "a"), (100, 1L, "b"), (1, 1L, "c")], SchedulingStrategy.Gradient, seed: 2);
        var first = new[] { allocation.Next(), -1, -1 };
        allocation.Report(first[0], 0.01, canContinue: true);
        first[1] = allocation.Next();
        allocation.Report(first[1], 0.01, canContinue: false);
        first[2] = allocation.Next();
        allocation.Report(first[2], 0.01, canContinue: true);
        Assert.Equal([0, 1, 2], first);
        for (var r = 0; r < 20; r++)
        {
            var i = allocation.Next();
            Assert.NotEqual(1, i);
            allocation.Report(i, 0.01, canContinue: false);
            if (allocation.Next() == -1) break;
        }
        Assert.Equal(-1, allocation.Next());
    }

    [Fact]
    public void Strategy_names_parse_and_an_unknown_one_is_named_in_the_error()
    {
        Assert.Equal(SchedulingStrategy.Gradient, SchedulingStrategies.Parse("gradient"));
        Assert.Equal(SchedulingStrategy.RoundRobin, SchedulingStrategies.Parse("round-robin"));
        var error = Assert.Throws<FormatException>(() => SchedulingStrategies.Parse("greedy"));
        Assert.Contains("'greedy'", error.Message);
    }
}
