using Tessel.Tasks;
using Tessel.Tuners;

namespace Tessel.Tuning;

/// <summary>Tunes tasks one after another, each with its own budget (the session's trials, at most its space),
/// as AutoTVM's tutorials loop over a model's tasks.</summary>
public static class SequentialTuning
{
    /// <param name="label">the progress prefix of a task's run (default: <c>[Task 1/3] </c>)</param>
    public static async Task<IReadOnlyList<TuneResult>> RunAsync(
        IReadOnlyList<TuningTask> tasks, TuningSession session, Func<int, string>? label = null)
    {
        var results = new List<TuneResult>();
        for (var i = 0; i < tasks.Count; i++)
            results.Add(await TaskTuning.RunAsync(tasks[i], session, label?.Invoke(i) ?? $"[Task {i + 1,2}/{tasks.Count,2}] ")
                .ConfigureAwait(false));
        return results;
    }
}
