using Tessel.Scheduling;

namespace Tessel.Tests.Scheduling;

public class TaskAllocationTests
{
    /// <summary>Plays rounds against made-up latency curves: task i's best after r rounds is start_i / (1 + 0.3 r).</summary>
    private static int[] Play(SchedulingStrategy strategy, (double Weight, double StartSeconds)[] tasks, int rounds)
    {
        var allocation = new TaskAllocation(tasks.Select((t, i) => new SchedulableTask(t.Weight, 1_000_000L, $"template{i}", $"op{i}")).ToList(), strategy, seed: 1);
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
    public void The_slower_implementation_of_an_operator_gets_rounds_only_while_it_could_overtake()
    {
        // One op, two implementations: "fast" at 1 ms and flat, "slow" at 10 ms and flat; a third task (2 ms, improving)
        // competes for the rounds. After its warm-up round the slow implementation's forecast (after one round: any
        // latency down to 0) earns it one more at most; then it cannot overtake 1 ms and gets none.
        var allocation = new TaskAllocation([new(1, 1L, "direct", "op"), new(1, 1L, "winograd", "op"), new(1, 1L, "direct", "other")],
            SchedulingStrategy.Gradient, new TaskAllocationOptions { Epsilon = 0 }, seed: 3);
        var given = new int[3];
        for (var r = 0; r < 30; r++)
        {
            var i = allocation.Next();
            given[i]++;
            allocation.Report(i, i switch { 0 => 0.001, 1 => 0.010, _ => 0.002 / (1 + 0.3 * given[2]) }, canContinue: true);
        }
        Assert.True(given[1] <= 2, $"rounds: {string.Join(", ", given)}");
        Assert.True(given[0] > 2 && given[2] > 2, $"rounds: {string.Join(", ", given)}");
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
        var allocation = new TaskAllocation([new(1, 1L, "a", "a"), new(100, 1L, "b", "b"), new(1, 1L, "c", "c")], SchedulingStrategy.Gradient, seed: 2);
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
