using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Tessel.Kernels;

/// <summary>A collectible load context for one compiled batch: unloaded after measurement so that
/// thousands of tried kernels do not pile up in memory. Tessel's own assembly resolves from the
/// default context, so kernels and their host share <see cref="IKernel"/>.</summary>
public sealed class KernelLoadContext : AssemblyLoadContext
{
    public KernelLoadContext(byte[] image) : base("tessel-kernels", isCollectible: true)
    {
        using var stream = new MemoryStream(image, writable: false);
        Assembly = LoadFromStream(stream);
    }

    public Assembly Assembly { get; }

    public IKernel Create(string className) => Instantiate(Assembly, className);

    /// <summary>Jits every method of the kernels now (what their first calls would do), so that a model's first run
    /// does not; safe beside calls on other threads (the runtime jits each method once).</summary>
    public void Precompile()
    {
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var type in Assembly.GetTypes().Where(t => !t.ContainsGenericParameters))
            foreach (var method in type.GetMethods(all).Where(m => !m.IsAbstract && !m.ContainsGenericParameters))
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
    }

    /// <summary>Loaded kernels come back as instances of this interface.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IKernel Instantiate(Assembly assembly, string className) =>
        (IKernel)(Activator.CreateInstance(assembly.GetType(className, throwOnError: true)!)
            ?? throw new InvalidOperationException($"could not create kernel '{className}'"));

    protected override Assembly? Load(AssemblyName assemblyName) => null;
}
