using Tessel.Templates;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Conv2dNchwc;
using Tessel.Templates.Depthwise;
using Tessel.Templates.DepthwiseNchwc;
using Tessel.Templates.Winograd;

namespace Tessel.Tasks;

/// <summary>Other templates that compute the same workload, as Relay's op strategies list several
/// implementations of one op: each becomes a task of its own, and a model runs whichever the logs found
/// faster. Today: Winograd for 3x3, stride-1, dilation-1, ungrouped convs, the channel-blocked direct conv
/// for every ungrouped conv, and the channel-blocked depthwise conv for every depthwise conv of multiplier 1.</summary>
public static class Implementations
{
    public static IEnumerable<(ITemplate Template, Workload Workload)> Alternatives(Workload primary)
    {
        if (primary.TaskName == Conv2dNchwTemplate.Name && Conv2dWinogradTemplate.Fits(Conv2dParams.From(primary)))
            yield return (Conv2dWinogradTemplate.Instance, Conv2dWinogradTemplate.FromDirect(primary));
        if (primary.TaskName == Conv2dNchwTemplate.Name && Conv2dNchwcTemplate.Fits(Conv2dParams.From(primary)))
            yield return (Conv2dNchwcTemplate.Instance, Conv2dNchwcTemplate.FromDirect(primary));
        if (primary.TaskName == DepthwiseConv2dNchwTemplate.Name && DepthwiseNchwcTemplate.Fits(DepthwiseParams.From(primary)))
            yield return (DepthwiseNchwcTemplate.Instance, DepthwiseNchwcTemplate.FromDirect(primary));
    }
}
