namespace Tessel.Cluster;

/// <summary>What a worker silo's loop needs: the target it measures for, its runner, where its notes go.</summary>
public sealed record WorkerSettings(string Target, Func<IWorkRunner> Runner, Action<string>? Log);
