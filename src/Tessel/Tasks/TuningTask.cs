using Tessel.Spaces;
using Tessel.Templates;
using Tessel.Workloads;

namespace Tessel.Tasks;

/// <summary>A workload plus the template and target that tune it. <see cref="Count"/> is how often the
/// workload occurs in its model. Which task shares whose schedules is not the task's state but a
/// <c>DependencePlan</c>'s.</summary>
public sealed class TuningTask
{
    private ConfigSpace? space;

    public TuningTask(ITemplate template, Workload workload, Target target, int count = 1)
    {
        if (workload.TaskName != template.TaskName)
            throw new ArgumentException($"workload is for '{workload.TaskName}', template is '{template.TaskName}'");
        Template = template;
        Workload = workload;
        Target = target;
        Count = count;
    }

    /// <summary>A task for a workload read from a log or database, its space defined: a workload whose args do not
    /// fit the template (a damaged record, another tool's) is a <see cref="FormatException"/> naming it.</summary>
    public static TuningTask OfRecorded(ITemplate template, Workload workload, Target target)
    {
        try
        {
            var task = new TuningTask(template, workload, target);
            _ = task.Space;
            return task;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or InvalidCastException or OverflowException)
        {
            throw new FormatException($"{template.TaskName} {workload.Args.ToJsonString()}: not a workload of this template ({e.Message})", e);
        }
    }

    public ITemplate Template { get; }
    public Workload Workload { get; }
    public Target Target { get; }
    public int Count { get; }
    public string Name => Template.TaskName;

    /// <summary>The template's space for this workload, defined on first use. Configs are compared by their space's
    /// identity, so threads racing to define it must all get the one that is kept.</summary>
    public ConfigSpace Space => LazyInitializer.EnsureInitialized(ref space,
        () => Target.FactorSplits ? Template.DefineSpace(Workload, Target).WithFactorSplits() : Template.DefineSpace(Workload, Target));

    /// <summary>The template's default config in this task's space; under factor-only splits, the nearest
    /// config with dividing tiles.</summary>
    public ConfigEntity DefaultConfig
    {
        get
        {
            if (!Target.FactorSplits) return Template.DefaultConfig(Space, Workload);
            var full = Template.DefineSpace(Workload, Target);
            return ConfigMapper.Map(Template.DefaultConfig(full, Workload), Space).Config
                ?? throw new InvalidOperationException($"{Name}: the default config has no counterpart among factor splits");
        }
    }

    /// <summary>The operator this task implements: implementations of one operator (a 3x3 conv's direct and Winograd
    /// templates) share their target and args, and the faster one sets the operator's latency.</summary>
    public string Operator => Target.Text + " " + Workload.Args.ToJsonString();

    /// <summary>Floating-point operations of one kernel call (a multiply-add counts 2).</summary>
    public long Flops => Template.Flops(Workload);

    public override string ToString() => $"{Name} {Workload.Args.ToJsonString()}";
}
