using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Tessel.Kernels;

namespace Tessel.Compilation;

/// <summary>Compiles kernel sources in memory with Roslyn: optimised, unsafe allowed, many kernels in
/// ONE compilation to amortise the compiler's fixed cost. A kernel that fails to compile is dropped and
/// the rest compiled again, so one bad config never costs the batch. Images are cached by source hash.</summary>
public static class RoslynCompiler
{
    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);
    private static readonly ConcurrentDictionary<string, CompiledBatch> Cache = new();

    private static readonly CSharpCompilationOptions Options = new(
        OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release,
        allowUnsafe: true,
        nullableContextOptions: NullableContextOptions.Disable,
        concurrentBuild: true);

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>Compiles the kernels into one assembly; errors are reported per class name.</summary>
    public static CompiledBatch Compile(IReadOnlyList<KernelSource> kernels)
    {
        var key = Hash(kernels);
        if (Cache.TryGetValue(key, out var cached)) return cached;
        var clock = Stopwatch.StartNew();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var trees = kernels.ToDictionary(
            k => k.ClassName,
            k => CSharpSyntaxTree.ParseText(k.Source, ParseOptions, path: k.ClassName + ".cs", encoding: Encoding.UTF8));
        byte[]? image = null;
        while (trees.Count > 0)
        {
            var compilation = CSharpCompilation.Create("TesselKernels_" + key[..16], trees.Values, References.Value, Options);
            using var stream = new MemoryStream();
            var emit = compilation.Emit(stream);
            if (emit.Success) { image = stream.ToArray(); break; }
            var failing = emit.Diagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .GroupBy(d => d.Location.SourceTree?.FilePath ?? "")
                .ToList();
            var blamed = failing.Where(g => trees.ContainsKey(Path.GetFileNameWithoutExtension(g.Key))).ToList();
            if (blamed.Count == 0)
            {
                // An error outside any kernel's file (a missing reference): every kernel fails with it.
                var message = string.Join("\n", failing.SelectMany(g => g).Take(5));
                foreach (var name in trees.Keys) errors[name] = message;
                break;
            }
            foreach (var group in blamed)
            {
                var name = Path.GetFileNameWithoutExtension(group.Key);
                errors[name] = string.Join("\n", group.Take(5).Select(d => d.ToString()));
                trees.Remove(name);
            }
        }
        var batch = new CompiledBatch(image, errors, clock.Elapsed);
        Cache.TryAdd(key, batch);
        return batch;
    }

    private static string Hash(IReadOnlyList<KernelSource> kernels)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var k in kernels)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(k.ClassName));
            sha.AppendData([0]);
            sha.AppendData(Encoding.UTF8.GetBytes(k.Source));
            sha.AppendData([0]);
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static MetadataReference[] LoadReferences()
    {
        // The trusted platform assemblies are the framework the kernels will run on.
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var wanted = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "System.Runtime", "System.Private.CoreLib", "System.Runtime.Intrinsics", "System.Threading.Tasks.Parallel",
            "System.Threading", "System.Collections", "System.Memory", "System.Numerics.Vectors", "netstandard",
            "System.Runtime.CompilerServices.Unsafe",
        };
        var refs = tpa.Where(p => wanted.Contains(Path.GetFileNameWithoutExtension(p)))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        refs.Add(MetadataReference.CreateFromFile(typeof(IKernel).Assembly.Location));
        return refs.ToArray();
    }
}
