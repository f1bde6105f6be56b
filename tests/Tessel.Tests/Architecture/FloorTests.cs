using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.Fluent.Syntax.Elements.Types;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace Tessel.Tests.Architecture;

/// <summary>The house rules of <c>docs/ARCHITECTURE.md</c>, checked on the compiled library: folders stand on floors
/// and each imports only floors below its own, so no two folders import each other; running a compiled model reaches
/// none of the tuner's parts. A failure names the offending types and what they depend on.</summary>
public sealed class FloorTests
{
    /// <summary>The library a deployed model runs on (<c>src/Tessel.Runtime</c>).</summary>
    private static readonly System.Reflection.Assembly RuntimeLibrary = typeof(Tessel.Runtime.ExecutionPlan).Assembly;

    private static readonly ArchUnitNET.Domain.Architecture Library =
        new ArchLoader().LoadAssemblies(typeof(Tessel.Spaces.ConfigSpace).Assembly, RuntimeLibrary).Build();

    /// <summary>The floors, bottom first: the folders (namespaces under <c>Tessel.</c>) on each.</summary>
    public static readonly string[][] Floors =
    [
        ["Spaces", "Workloads", "KernelRuntime", "Layouts", "Kernels"],
        ["Graph", "Compilation", "Runtime"],
        ["Templates"],
        ["Tasks"],
        ["Measure"],
        ["Records"],
        ["Tuners"],
        ["Selective", "Scheduling"],
        ["Tuning", "Planning"],
        ["Experiments", "Deployment", "Reports"],
    ];

    public static TheoryData<int> FloorNumbers() => [.. Enumerable.Range(0, Floors.Length - 1)];

    [Fact]
    public void Every_folder_of_the_library_stands_on_a_floor()
    {
        var folders = Library.Namespaces.Select(n => Folder(n.FullName)).OfType<string>().Distinct();
        Assert.Empty(folders.Except(Floors.SelectMany(f => f)));
    }

    /// <summary>Each edge between two folders that lies on a cycle, with the types that make it.</summary>
    [Fact]
    public void No_two_folders_import_each_other()
    {
        var edges = new Dictionary<(string From, string To), SortedSet<string>>();
        foreach (var type in Library.Types)
        {
            if (Folder(type.Namespace?.FullName) is not { } from) continue;
            foreach (var dependency in type.Dependencies)
                if (Folder(dependency.Target?.Namespace?.FullName) is { } to && to != from)
                {
                    if (!edges.TryGetValue((from, to), out var through)) edges[(from, to)] = through = [];
                    through.Add($"{type.FullName} -> {dependency.Target!.FullName}");
                }
        }
        var next = edges.Keys.ToLookup(e => e.From, e => e.To);
        bool Reaches(string from, string to, HashSet<string> seen) =>
            from == to || (seen.Add(from) && next[from].Any(n => Reaches(n, to, seen)));
        var cyclic = edges.Where(e => Reaches(e.Key.To, e.Key.From, [])).Select(e => $"{e.Key.From} -> {e.Key.To}: {string.Join("; ", e.Value.Take(3))}");
        Assert.True(!cyclic.Any(), "folders on a cycle of imports:\n" + string.Join("\n", cyclic));
    }

    /// <summary>The folder of a namespace of the library (<c>Tessel.Templates.Conv2d</c>: Templates), or null.</summary>
    private static string? Folder(string? ns) => ns?.Split('.') is ["Tessel", var folder, ..] ? folder : null;

    [Theory]
    [MemberData(nameof(FloorNumbers))]
    public void A_floor_imports_no_floor_above_it(int floor)
    {
        var above = Floors.Skip(floor + 1).SelectMany(f => f).ToArray();
        InFolders(Floors[floor]).Should().NotDependOnAny(InFolders(above))
            .Because($"floor {floor} ({string.Join(", ", Floors[floor])}) stands below {string.Join(", ", above)}")
            .Check(Library);
    }

    /// <summary>What running a compiled model needs — its steps, the loaded kernels, layouts, the work pool and the
    /// plain operators — must ship without the tuner: no tasks, templates, measurement, records, tuners, selection,
    /// planning, Roslyn, ML.NET or Orleans.</summary>
    [Fact]
    public void Running_a_compiled_model_reaches_nothing_of_the_tuner()
    {
        var running = InNamespaces(["Tessel.Runtime", "Tessel.Kernels", "Tessel.KernelRuntime", "Tessel.Layouts", "Tessel.Graph.Operators"]);
        string[] tuner = ["Tessel.Tasks", "Tessel.Templates", "Tessel.Measure", "Tessel.Records", "Tessel.Tuners", "Tessel.Selective",
            "Tessel.Scheduling", "Tessel.Tuning", "Tessel.Planning", "Tessel.Compilation", "Tessel.Experiments",
            "Microsoft.CodeAnalysis", "Microsoft.ML", "Orleans", "Microsoft.Data.Sqlite"];
        running.Should().NotDependOnAny(InNamespaces(tuner)).Check(Library);
    }

    /// <summary>The runtime library ships alone (a NuGet package): it references the framework and TensorPrimitives,
    /// and no assembly of Tessel's or of a third party.</summary>
    [Fact]
    public void The_runtime_library_references_only_the_framework()
    {
        var references = RuntimeLibrary.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("System.Runtime", references);
        Assert.DoesNotContain(references, name => !name.StartsWith("System.", StringComparison.Ordinal) && name != "netstandard");
    }

    private static GivenTypesConjunction InFolders(IEnumerable<string> folders) => InNamespaces(folders.Select(f => "Tessel." + f));

    private static GivenTypesConjunction InNamespaces(IEnumerable<string> namespaces)
    {
        var list = namespaces.ToList();
        var types = Types().That().ResideInNamespaceOrBelow(list[0]);
        foreach (var ns in list.Skip(1)) types = types.Or().ResideInNamespaceOrBelow(ns);
        return types;
    }
}
