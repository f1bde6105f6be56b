namespace Tessel.Tasks;

/// <summary>A task of a model: its id (<c>T0</c>, <c>T1</c>, ... in extraction order), the task, and how
/// often its workload occurs in the model.</summary>
public sealed record ExtractedTask(string Id, TuningTask Task)
{
    public int Count => Task.Count;

    /// <summary>FLOPs of one occurrence.</summary>
    public long Flops => Task.Flops;
}
