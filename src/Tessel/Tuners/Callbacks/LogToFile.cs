using Tessel.Measure;
using Tessel.Records;
using Tessel.Tasks;

namespace Tessel.Tuners.Callbacks;

/// <summary>Appends every trial, failures included, to a JSON-lines log as soon as it is measured.</summary>
public sealed class LogToFile(RecordWriter writer) : ITuneCallback
{
    public void OnRound(TuningTask task, IReadOnlyList<MeasureInput> inputs, IReadOnlyList<MeasureResult> results, TuneProgress progress)
    {
        for (var i = 0; i < inputs.Count; i++) writer.Append(TuningRecord.From(inputs[i], results[i]));
    }
}
