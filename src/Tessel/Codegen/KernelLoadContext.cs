using System.Reflection;
using System.Runtime.Loader;

namespace Tessel.Codegen;

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

    public IKernel Create(string className) => RoslynCompiler.Instantiate(Assembly, className);

    protected override Assembly? Load(AssemblyName assemblyName) => null;
}
