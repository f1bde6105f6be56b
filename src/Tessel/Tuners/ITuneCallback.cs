using Tessel.Measure;
using Tessel.Tasks;

namespace Tessel.Tuners;

/// <summary>Called after every measured round, in order (AutoTVM's callbacks: log to file, progress).</summary>
public interface ITuneCallback
{
    void OnRound(TuningTask task, IReadOnlyList<MeasureInput> inputs, IReadOnlyList<MeasureResult> results, TuneProgress progress);
}
