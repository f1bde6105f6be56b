using Tessel.Measure;
using Tessel.Records;
using Tessel.Tasks;

namespace Tessel.Tuners.Callbacks;

/// <summary>Appends every trial, failures included, to a log or database the moment it is measured, so a
/// killed run loses at most the trial in flight (AutoTVM's <c>log_to_file</c>, for either store).</summary>
public sealed class AppendEachTrial(IRecordAppender writer) : ITuneCallback
{
    public void OnTrial(TuningTask task, MeasureInput input, MeasureResult result) =>
        writer.Append(TuningRecord.From(input, result));
}
