using Tessel.Spaces;
using Tessel.Workloads;

namespace Tessel.Selective;

/// <summary>The configs a workload with no record of its own starts from (<see cref="ZeroTrialStart"/>), fastest first,
/// each in the workload's own space.</summary>
/// <param name="Source"><see cref="ConfigSource.Shipped"/> or <see cref="ConfigSource.Similar"/></param>
/// <param name="Configs">each config with its seconds: as shipped, or for a similar workload's, its seconds scaled by the
/// two workloads' FLOPs (an estimate, to rank against other templates' configs)</param>
/// <param name="From">the workload whose records they are (the workload itself where shipped)</param>
/// <param name="Similarity">the similarity rate of <paramref name="From"/> to the workload (1 where shipped)</param>
public sealed record StartingConfigs(ConfigSource Source, IReadOnlyList<(ConfigEntity Config, double Seconds)> Configs, Workload From, double Similarity);
