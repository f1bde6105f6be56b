using Tessel.Measure;
using Tessel.Records;
using Tessel.Tasks;

namespace Tessel.Tuners.Callbacks;

/// <summary>Appends every trial, failures included, to a JSON-lines log the moment it is measured, so a
/// killed run loses at most the trial in flight.</summary>
public sealed class LogToFile(RecordWriter writer) : ITuneCallback
{
    public void OnTrial(TuningTask task, MeasureInput input, MeasureResult result) =>
        writer.Append(TuningRecord.From(input, result));
}
