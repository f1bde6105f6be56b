using Tessel.Measure;
using Tessel.Tasks;

namespace Tessel.Tuners;

/// <summary>AutoTVM's callbacks (log to file, progress): <see cref="OnTrial"/> hears of each trial the moment
/// it is measured, <see cref="OnRound"/> of each measured round with where the run stands.</summary>
public interface ITuneCallback
{
    void OnTrial(TuningTask task, MeasureInput input, MeasureResult result) { }

    void OnRound(TuningTask task, IReadOnlyList<MeasureInput> inputs, IReadOnlyList<MeasureResult> results, TuneProgress progress) { }
}
