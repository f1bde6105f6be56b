namespace Tessel.Graph.Operators;

/// <summary>Runs an op that only moves data as a precomputed index map: output[i] = input[map[i]], or a
/// fill value where the map holds -1 (padding). Built once at bind time, so a run is one gather loop.</summary>
public static class IndexMap
{
    public static Action Gather(float[] input, float[] output, int[] map, float fill = 0) => () =>
    {
        for (var i = 0; i < map.Length; i++) output[i] = map[i] < 0 ? fill : input[map[i]];
    };
}
