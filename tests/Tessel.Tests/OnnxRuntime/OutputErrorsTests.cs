using Tessel.OnnxRuntime;

namespace Tessel.Tests.OnnxRuntime;

/// <summary>Errors against the reference, per output and over all: a model whose one output differs in a few values
/// (a thresholded map) must show which output it is.</summary>
public class OutputErrorsTests
{
    [Fact]
    public void Each_output_has_its_own_errors_and_the_overall_figures_are_their_largest()
    {
        float[][] expected = [[1, 2, 4], [10, -20], [0.5f]];
        float[][] actual = [[1, 2, 4], [10, -19], [0.25f]];
        var each = OutputErrors.PerOutput(expected, actual);
        Assert.Equal([(0.0, 0.0), (1.0, 1 / 20.0), (0.25, 0.5)], each);
        Assert.Equal((1.0, 0.5), OutputErrors.Compare(expected, actual));
        // An output of the wrong length is infinitely wrong, and only that one.
        var cut = OutputErrors.PerOutput(expected, [[1, 2, 4], [10], [0.5f]]);
        Assert.Equal(double.PositiveInfinity, cut[1].MaxAbs);
        Assert.Equal((0.0, 0.0), cut[2]);
    }
}
