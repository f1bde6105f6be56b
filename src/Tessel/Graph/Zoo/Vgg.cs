namespace Tessel.Graph.Zoo;

/// <summary>VGG-19 with batch normalisation as Gluon CV defines it: 3x3 convs with bias, BN and ReLU,
/// a 2x2 max pool after each of the 5 stages, then three dense layers (25088 -> 4096 -> 4096 -> 1000).</summary>
public static class Vgg
{
    public static ModelGraph Vgg19Bn()
    {
        var b = new GraphBuilder("vgg19_bn", seed: 19);
        var x = b.Input("data", [1, 3, 224, 224]);
        int[] layers = [2, 2, 4, 4, 4], filters = [64, 128, 256, 512, 512];
        for (var stage = 0; stage < layers.Length; stage++)
        {
            for (var i = 0; i < layers[stage]; i++) x = b.Relu(b.BatchNorm(b.Conv(x, filters[stage], 3, 1, 1, bias: true)));
            x = b.MaxPool(x, 2, 2);
        }
        x = b.Relu(b.Dense(b.Flatten(x), 4096));
        x = b.Relu(b.Dense(x, 4096));
        return b.Build(b.Dense(x, 1000));
    }
}
