using Tessel.Graph;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Conv2dNchwc;
using Tessel.Templates.Conv2dTranspose;
using Tessel.Templates.Dense;
using Tessel.Templates.Depthwise;
using Tessel.Templates.DepthwiseNchwc;
using Tessel.Templates.Winograd;
using Tessel.Workloads;

namespace Tessel.Templates;

/// <summary>Every template Tessel knows, and the op strategy over them: which template a graph node runs as,
/// which others compute the same workload, which one <c>tune-op</c> means by an op name. A new template is
/// its folder and one line here.</summary>
public static class TemplateRegistry
{
    /// <summary>In the order nodes are offered to them: depthwise before the general conv, which also takes
    /// grouped convs.</summary>
    private static readonly ITemplate[] Templates =
    [
        DepthwiseConv2dNchwTemplate.Instance,
        Conv2dNchwTemplate.Instance,
        DenseTemplate.Instance,
        Conv2dWinogradTemplate.Instance,
        Conv2dNchwcTemplate.Instance,
        DepthwiseNchwcTemplate.Instance,
        Conv2dTransposeTemplate.Instance,
    ];

    public static IReadOnlyList<ITemplate> All => Templates;

    /// <summary>The templates <c>tune-op</c> takes by name.</summary>
    public static IReadOnlyList<string> OpNames { get; } = Templates.Select(t => t.OpName).OfType<string>().ToArray();

    public static ITemplate? Find(string taskName) =>
        Templates.FirstOrDefault(t => string.Equals(t.TaskName, taskName, StringComparison.Ordinal));

    public static ITemplate? FindOp(string opName) =>
        Templates.FirstOrDefault(t => string.Equals(t.OpName, opName, StringComparison.Ordinal));

    /// <summary>The template and workload a node runs as, or null for an op that is not tuned.</summary>
    public static (ITemplate Template, Workload Workload)? Primary(ModelGraph graph, Node node)
    {
        foreach (var template in Templates)
            if (template.FromNode(graph, node) is { } workload)
                return (template, workload);
        return null;
    }

    /// <summary>Other templates that compute <paramref name="primary"/>, each with its workload.</summary>
    public static IEnumerable<(ITemplate Template, Workload Workload)> Alternatives(Workload primary)
    {
        foreach (var template in Templates)
            if (template.AlternativeTo(primary) is { } workload)
                yield return (template, workload);
    }
}
