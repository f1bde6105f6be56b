namespace Tessel.Records;

/// <summary>Where trials are kept: a log file (<see cref="LogFile"/>, the interchange format) or a tuning
/// database (<see cref="Database.TuningDatabase"/>). Tuning reads every record once when it starts (to
/// resume, and as history for transfer) and appends each trial the moment it is measured.</summary>
public interface IRecordStore
{
    /// <summary>What messages call the store: its path.</summary>
    string Name { get; }

    /// <summary>Every record, in the order written. A damaged entry is skipped with a warning naming it;
    /// the others still load.</summary>
    IReadOnlyList<TuningRecord> Read(Action<string>? warn = null);

    IRecordAppender OpenAppender();
}
