namespace Tessel.Reports;

/// <summary>One trial on a task's tuning curve: its number in the task, the seconds since the log's first trial of the
/// model when it ended, and the task's best GFLOP/s so far.</summary>
public readonly record struct CurvePoint(int Trial, double Seconds, double BestGflops);
