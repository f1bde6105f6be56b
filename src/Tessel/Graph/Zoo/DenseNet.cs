namespace Tessel.Graph.Zoo;

/// <summary>DenseNet-121 as Gluon CV defines it: growth rate 32, blocks of 6, 12, 24 and 16 layers (each
/// BN-ReLU-1x1 conv to 128 channels, BN-ReLU-3x3 conv to 32, concatenated to its input), transitions that
/// halve the channels and pool 2x2, and a dense classifier.</summary>
public static class DenseNet
{
    public static ModelGraph DenseNet121()
    {
        const int growth = 32, bottleneck = 4 * growth;
        var b = new GraphBuilder("densenet121", seed: 121);
        var x = b.Input("data", [1, 3, 224, 224]);
        x = b.MaxPool(b.Relu(b.BatchNorm(b.Conv(x, 64, 7, 2, 3))), 3, 2, 1);
        int[] blocks = [6, 12, 24, 16];
        for (var block = 0; block < blocks.Length; block++)
        {
            for (var layer = 0; layer < blocks[block]; layer++)
            {
                var y = b.Conv(b.Relu(b.BatchNorm(x)), bottleneck, 1);
                y = b.Conv(b.Relu(b.BatchNorm(y)), growth, 3, 1, 1);
                x = b.Concat(x, y);
            }
            if (block < blocks.Length - 1) x = b.AvgPool(b.Conv(b.Relu(b.BatchNorm(x)), b.Channels(x) / 2, 1), 2, 2);
        }
        x = b.AvgPool(b.Relu(b.BatchNorm(x)), 7, 7);
        return b.Build(b.Dense(b.Flatten(x), 1000));
    }
}
