using Tessel.Records;
using Tessel.Tuners.Callbacks;

namespace Tessel.Tuning;

/// <summary>A log or database as tuning uses it: its records as read when tuning began (resume and history),
/// and the callback that appends each new trial to it.</summary>
public sealed record OpenLog(IRecordStore Store, IReadOnlyList<TuningRecord> Records, AppendEachTrial Writer);
