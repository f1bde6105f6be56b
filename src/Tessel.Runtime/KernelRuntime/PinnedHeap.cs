namespace Tessel.KernelRuntime;

/// <summary>One gate for the runtime's allocations on the pinned object heap: <see cref="AlignedArrays"/> places an array
/// on a cache line by sizing a spacer after a miss, which only works if no other pinned allocation lands in between.</summary>
internal static class PinnedHeap
{
    public static readonly Lock Gate = new();
}
