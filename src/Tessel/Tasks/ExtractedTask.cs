namespace Tessel.Tasks;

/// <summary>A task of a model: its id (<c>T0</c>, <c>T1</c>, ... in extraction order), the task, and how
/// often its workload occurs in the model. An <see cref="Alternative"/> task computes the workload of the
/// task listed just before it with another template (see <see cref="Implementations"/>); a model runs one of the two.</summary>
public sealed record ExtractedTask(string Id, TuningTask Task, bool Alternative = false)
{
    public int Count => Task.Count;

    /// <summary>FLOPs of one occurrence.</summary>
    public long Flops => Task.Flops;
}
