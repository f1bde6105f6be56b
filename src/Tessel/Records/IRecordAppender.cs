namespace Tessel.Records;

/// <summary>Appends records to a store, each durable once <see cref="Append"/> returns (a killed tuner keeps
/// it). Safe to call from tuning loops running side by side.</summary>
public interface IRecordAppender : IDisposable
{
    void Append(TuningRecord record);
}
