using Tessel.Templates.Conv2d;
using Tessel.Templates.Dense;
using Tessel.Templates.Depthwise;

namespace Tessel.Templates;

/// <summary>Every template Tessel knows, found by task name (e.g. <c>conv2d_nchw.x86</c>).</summary>
public static class TemplateRegistry
{
    private static readonly ITemplate[] Templates =
    [
        Conv2dNchwTemplate.Instance,
        DenseTemplate.Instance,
        DepthwiseConv2dNchwTemplate.Instance,
        Winograd.Conv2dWinogradTemplate.Instance,
        Conv2dNchwc.Conv2dNchwcTemplate.Instance,
        DepthwiseNchwc.DepthwiseNchwcTemplate.Instance,
    ];

    public static IReadOnlyList<ITemplate> All => Templates;

    public static ITemplate? Find(string taskName) =>
        Templates.FirstOrDefault(t => string.Equals(t.TaskName, taskName, StringComparison.Ordinal));
}
