using Tessel.Measure;
using Tessel.Records;
using Tessel.Spaces;
using Tessel.Tasks;

namespace Tessel.Tests.Support;

/// <summary>Log records written by hand, for tests of what reads logs (history best, the runtime's kernel choice):
/// a config with a stated cost, as if measured.</summary>
public static class LoggedRecords
{
    public static TuningRecord Logged(TuningTask task, ConfigEntity config, double seconds) =>
        TuningRecord.From(new MeasureInput(task, config), new MeasureResult([seconds], MeasureErrorNo.NoError, 0.1, 1700000000));
}
