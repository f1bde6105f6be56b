namespace Tessel.Graph.Zoo;

/// <summary>SqueezeNet 1.1 as Gluon CV defines it: an unpadded 3x3 stride-2 stem, ceil-mode max pools,
/// eight fire modules, and a 1x1 conv classifier averaged over the 13x13 map.</summary>
public static class SqueezeNet
{
    public static ModelGraph V11()
    {
        var b = new GraphBuilder("squeezenet1.1", seed: 11);
        var x = b.Input("data", [1, 3, 224, 224]);
        x = b.MaxPool(b.Relu(b.Conv(x, 64, 3, 2, bias: true)), 3, 2, ceil: true);
        x = Fire(b, Fire(b, x, 16, 64), 16, 64);
        x = b.MaxPool(x, 3, 2, ceil: true);
        x = Fire(b, Fire(b, x, 32, 128), 32, 128);
        x = b.MaxPool(x, 3, 2, ceil: true);
        x = Fire(b, Fire(b, x, 48, 192), 48, 192);
        x = Fire(b, Fire(b, x, 64, 256), 64, 256);
        x = b.Relu(b.Conv(x, 1000, 1, bias: true));
        return b.Build(b.Flatten(b.AvgPool(x, 13, 13)));
    }

    private static string Fire(GraphBuilder b, string x, int squeeze, int expand)
    {
        var s = b.Relu(b.Conv(x, squeeze, 1, bias: true));
        return b.Concat(b.Relu(b.Conv(s, expand, 1, bias: true)), b.Relu(b.Conv(s, expand, 3, 1, 1, bias: true)));
    }
}
