using Tessel.Spaces;
using Tessel.Workloads;

namespace Tessel.Templates;

/// <summary>A template that can describe the loop nest of a config (<see cref="LoopNestFeatures"/>).</summary>
public interface IDescribesLoopNest
{
    /// <summary>The describer of one workload's configs (the workload is parsed once, not per config).</summary>
    Func<ConfigEntity, LoopNestFeatures> LoopNest(Workload workload);
}
