using Tessel.KernelRuntime;


namespace Tessel.Tests.Codegen;

/// <summary>Alone: other tests' pinned allocations on other threads (kernels, test buffers) would land between an array and
/// its spacer. The runtime's own take <c>PinnedHeap.Gate</c>; a test's plain <c>GC.AllocateArray(pinned)</c> does not.</summary>
[Collection(PinnedHeapCollection.Name)]
public sealed class AlignedArraysTests
{
    [Fact]
    public void Arrays_up_to_ResNet50s_largest_activation_start_on_a_cache_line_between_other_pinned_allocations()
    {
        // Plain pinned arrays start on a cache line about one time in eight (about 105 misses in these 120); other
        // allocations in between (kept or dropped) must not defeat the spacers. Alignment is best effort (after 32 tries
        // an array is returned as it is, only slower): where earlier tests left gaps in the pinned heap, a spacer can land
        // in a gap instead of after its array, and once in a fresh clone's run one 3.2 MB array of the 120 missed.
        // So up to 2 misses are allowed; without the spacers there would be about a hundred.
        var random = new Random(3);
        var kept = new List<float[]>();
        var misses = new List<string>();
        foreach (var length in new[] { 1, 3, 16, 100, 1000, 5000, 30000, 100000, 401408, 802816 })
            for (var i = 0; i < 12; i++)
            {
                var n = length + random.Next(0, 9);
                var array = AlignedArrays.Allocate(n);
                Assert.Equal(n, array.Length);
                Assert.All(array, v => Assert.Equal(0f, v));
                if (AlignedArrays.Offset(array) != 0) misses.Add($"{n} floats at +{AlignedArrays.Offset(array)}");
                kept.Add(array);
                if (i % 3 == 0) kept.Add(GC.AllocateArray<float>(random.Next(1, 300000), pinned: true));
                if (i % 5 == 0) kept.RemoveAt(random.Next(kept.Count));
            }
        Assert.True(misses.Count <= 2, $"{misses.Count} of 120 arrays off a cache line: {string.Join(", ", misses)}");
        GC.KeepAlive(kept);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PinnedHeapCollection
{
    public const string Name = "pinned heap";
}
